// SHOW: the neighbourhood, distances, the relationship type that first reached each node
// (ties broken by type name), learning records left out.
ACTOR "Centre" AS Person;
ACTOR "Friend" AS Person;
ACTOR "Club" AS Organisation;
ACTOR "Pool" AS Place;
FACTOR "Fitness";
LINK "Centre" -[:USES]-> "Friend";
LINK "Friend" -[:KNOWS]-> "Centre";
LINK "Centre" -[:MEMBER_OF]-> "Club";
LINK "Friend" -[:B_LINK]-> "Pool";
LINK "Club" -[:A_LINK]-> "Pool";
LINK "Pool" -[:IMPROVES]-> "Fitness";
LINK "Fitness" -[:SUPPORTS]-> "Club";
LEARNT "Swimming with a friend kept him going" ABOUT "Centre", "Pool" HOW "conversation" ON date('2024-05-01');
SHOW "Centre";
SHOW "Centre" WITHIN 2 STEPS;
SHOW "centre" WITHIN 8 STEPS?;
SHOW "Fitness" WITHIN 1 STEP;
CREATE (:Actor {name: 'Chain 0'})-[:NEXT]->(:Actor {name: 'Chain 1'})<-[:NEXT]-(:Actor {name: 'Chain 2'})-[:NEXT]->(:Actor {name: 'Chain 3'})-[:NEXT]->(:Actor {name: 'Chain 4'})-[:NEXT]->(:Actor {name: 'Chain 5'})-[:NEXT]->(:Actor {name: 'Chain 6'})-[:NEXT]->(:Actor {name: 'Chain 7'})-[:NEXT]->(:Actor {name: 'Chain 8'})-[:NEXT]->(:Actor {name: 'Chain 9'})-[:NEXT]->(:Actor {name: 'Chain 10'});
SHOW "Chain 0" WITHIN 8 STEPS;
SHOW "Chain 5" WITHIN 1 STEPS;
