// Quick capture: defaults, idempotence, updates, link directions, errors.
ACTOR "Brian" AS Person;
ACTOR "Brian's family" AS Family;
ACTOR "Hospital" AS Service;
ACTOR "Neighbourhood association" AS Community;
ACTOR "Jo";
FACTOR "Housing";
FACTOR "Income" AT organisation SCALE {measure: 'weekly'};
MATCH (n) RETURN n.name AS name, labels(n) AS labels, n.scale AS scale ORDER BY name;
// Running the same script again changes nothing.
ACTOR "Brian" AS Person;
ACTOR "brian" AS Person;
FACTOR "Income" AT organisation SCALE {measure: 'weekly'};
// Updates: a scale, a label, a property; a null removes a property.
ACTOR "Jo" AS Person AT place SCALE {role: 'volunteer'};
FACTOR "income" {measure: null};
MATCH (n {name: 'Jo'}) RETURN labels(n) AS labels, n.scale AS scale, n.role AS role;
MATCH (n:Factor {name: 'Income'}) RETURN keys(n) AS keys;
// Links: right, left, undirected; linking twice updates.
LINK "Brian" -[:AFFECTED_BY {strength: 4}]-> "Housing";
LINK "Brian" -[:AFFECTED_BY {strength: 5}]-> "housing";
LINK "Hospital" <-[:USES]- "Brian";
LINK "Brian's family" -[:SUPPORTS]- "Brian";
LINK "Brian" -[:SUPPORTS]- "Brian's family";
LINK "Brian" -[:SUPPORTS]-> "Brian's family";
MATCH (a)-[r]->(b) RETURN a.name AS from, type(r) AS type, properties(r) AS props, b.name AS to ORDER BY from, type, to;
// Never a silently created node.
LINK "Brian" -[:USES]-> "Hospitl";
LINK "Bryan" -[:USES]-> "Hospital";
LINK "Brian" -[:USES]-> "Dentist";
// Scales are checked.
ACTOR "Galaxy" AT galaxy SCALE;
FACTOR "Weather" {scale: 'universe'};
ACTOR "Jo" {scale: 3};
ACTOR "Jo" {name: 'Joanna', since: 2020};
ACTOR "Hospital" 42;
MATCH (n) RETURN count(n) AS nodes;
