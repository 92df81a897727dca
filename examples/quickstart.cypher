// A small Human Learning Systems map around one person, Brian: the people close to him,
// the services he meets, and the factors that shape his life. Run it with
//   steward --db /tmp/steward-demo run examples/quickstart.cypher
// It is written in quick capture (ACTOR, FACTOR, LINK): each statement finds what it
// names before it makes anything, so running the script again changes nothing (each
// statement answers "already there") and only the question at the end prints a table.

// The person at the centre, and the people close to him.
ACTOR "Brian" AS Person AT person SCALE;
ACTOR "Jo" AS Person AT person SCALE {relation: 'sister'};
ACTOR "Sam" AS Person AT person SCALE {relation: 'neighbour'};
LINK "Brian" -[:FAMILY {strength: 'strong'}]-> "Jo";
LINK "Brian" -[:KNOWS {strength: 'weak'}]-> "Sam";

// The services around him, at organisation scale (the food bank is a place).
ACTOR "GP practice" AS Service AT organisation SCALE;
ACTOR "Housing association" AS Service AT organisation SCALE;
ACTOR "Emergency department" AS Service AT organisation SCALE;
ACTOR "Food bank" AS Service AT place SCALE;
LINK "Brian" -[:USES {since: 2016}]-> "GP practice";
LINK "Brian" -[:USES {since: 2021}]-> "Housing association";
LINK "Brian" -[:USES {since: 2023, visits: 4}]-> "Emergency department";
LINK "Brian" -[:USES {since: 2024}]-> "Food bank";

// The factors that shape his outcomes, and who can influence them.
FACTOR "Housing" {state: 'damp, overcrowded'};
FACTOR "Income" {state: 'insecure'};
FACTOR "Health" {state: 'asthma, worsening'};
LINK "Brian" -[:AFFECTED_BY]-> "Housing";
LINK "Brian" -[:AFFECTED_BY]-> "Income";
LINK "Brian" -[:AFFECTED_BY]-> "Health";
LINK "Housing" -[:INFLUENCES {how: 'damp makes asthma worse'}]-> "Health";
LINK "Income" -[:INFLUENCES {how: 'cannot afford heating'}]-> "Housing";
LINK "Housing association" -[:CAN_INFLUENCE]-> "Housing";
LINK "GP practice" -[:CAN_INFLUENCE]-> "Health";
LINK "Emergency department" -[:CAN_INFLUENCE]-> "Health";
LINK "Food bank" -[:CAN_INFLUENCE]-> "Income";
LINK "Jo" -[:CAN_INFLUENCE]-> "Income";

// The question: what shapes Brian's health, directly or through other factors,
// and who in his system can act on it?
MATCH (:Person {name: 'Brian'})-[:AFFECTED_BY]->(f:Factor)-[:INFLUENCES*0..2]->(:Factor {name: 'Health'})
MATCH (actor:Actor)-[:CAN_INFLUENCE]->(f)
RETURN f.name AS factor, f.state AS state, collect(actor.name) AS who_can_act
ORDER BY factor;
