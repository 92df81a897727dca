// Editing the map in quick capture: UNLINK, RENAME, MERGE ... INTO, FORGET.
ACTOR "Brian" AS Person;
ACTOR "Brians family" AS Family {born: 1980, pets: 2};
ACTOR "Brian's family" AS Family {born: 1979};
FACTOR "Housing";
FACTOR "Income";
LINK "Brian" -[:AFFECTED_BY]-> "Housing";
LINK "Brian" -[:AFFECTED_BY]-> "Income";
LINK "Income" -[:AFFECTS]-> "Housing";
// UNLINK: by direction; twice says nothing was there; undirected removes either way.
UNLINK "Brian" -[:AFFECTED_BY]-> "Income";
UNLINK "Brian" -[:AFFECTED_BY]-> "Income";
UNLINK "Housing" -[:AFFECTED_BY]-> "Brian";
UNLINK "Housing" <-[:AFFECTS]- "Income";
LINK "Income" -[:AFFECTS]-> "Housing";
UNLINK "Housing" -[:AFFECTS]- "Income";
UNLINK "Brian" -[:AFFECTED_BY]-> "Nowhere";
UNLINK "Brian" -[:AFECTED_BY]-> "Housing";
UNLINK "Brian" -[:AFFECTED_BY {strength: 1}]-> "Housing";
// RENAME: refuses a name another node has; the same name is a no-op; twice is fine.
RENAME "Income" TO "housing";
RENAME "Income" TO "Income";
RENAME "Income" TO "  ";
RENAME "Income" TO "Money";
RENAME "Income" TO "Money";
RENAME "Nobody" TO "Someone";
RENAME "Money" TO "money";
RENAME "money" TO "Money";
MATCH (n) RETURN n.name AS name ORDER BY name;
// MERGE: both nodes have links; one between them; a conflicting property refuses.
LINK "Brians family" -[:SUPPORTS]-> "Brian";
LINK "Brian's family" -[:SUPPORTS {since: 2020}]-> "Brian";
LINK "Brians family" -[:WORRIES_ABOUT]-> "Housing";
LINK "Brian" -[:CALLS]-> "Brians family";
LINK "Brians family" -[:KNOWS]-> "Brian's family";
LINK "Brians family" -[:TALKS_TO]-> "Brians family";
MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS rels;
MERGE "Brians family" INTO "Brian's family";
MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS rels;
MERGE "Brians family" INTO "Brian's family" KEEPING OURS;
MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS rels;
MATCH (a)-[r]->(b) RETURN a.name AS from, type(r) AS type, properties(r) AS props, b.name AS to ORDER BY from, type, to;
MATCH (n:Family) RETURN n.name AS name, n.born AS born, n.pets AS pets, n.scale AS scale;
MERGE "Brians family" INTO "Brian's family";
MERGE "Brian's family" INTO "brian's family";
// KEEPING THEIRS takes the values of the node that goes.
ACTOR "Jo" AS Person {role: 'volunteer'};
ACTOR "Joanne" AS Person {role: 'nurse', since: 2019};
MERGE "Jo" INTO "Joanne" KEEPING THEIRS;
MATCH (n:Person {name: 'Joanne'}) RETURN n.role AS role, n.since AS since;
// Cypher's MERGE is untouched.
MERGE (n:Thing {name: 'Rock'}) RETURN n.name AS name;
MERGE (n:Thing {name: 'Rock'}) RETURN n.name AS name;
// FORGET: with its relationships; twice says nothing was there.
FORGET "Brian";
FORGET "Brian";
FORGET #999;
MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS nodes, count(DISTINCT r) AS rels;
