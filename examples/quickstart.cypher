// A small Human Learning Systems map around one person, Brian: the people close to him,
// the services he meets, and the factors that shape his life. Run it with
//   steward --db /tmp/steward-demo run examples/quickstart.cypher
// Each statement runs in its own transaction. Run it on a fresh store.

// The person at the centre, and the people close to him.
CREATE (brian:Actor:Person {name: 'Brian', scale: 'person'})
CREATE (sister:Actor:Person {name: 'Jo', relation: 'sister'})
CREATE (neighbour:Actor:Person {name: 'Sam', relation: 'neighbour'})
CREATE (brian)-[:FAMILY {strength: 'strong'}]->(sister)
CREATE (brian)-[:KNOWS {strength: 'weak'}]->(neighbour);

// The services around him, at organisation scale.
MATCH (brian:Person {name: 'Brian'})
CREATE (gp:Actor:Service {name: 'GP practice', scale: 'organisation'})
CREATE (housing:Actor:Service {name: 'Housing association', scale: 'organisation'})
CREATE (ed:Actor:Service {name: 'Emergency department', scale: 'organisation'})
CREATE (foodbank:Actor:Service {name: 'Food bank', scale: 'place'})
CREATE (brian)-[:USES {since: 2016}]->(gp)
CREATE (brian)-[:USES {since: 2021}]->(housing)
CREATE (brian)-[:USES {since: 2023, visits: 4}]->(ed)
CREATE (brian)-[:USES {since: 2024}]->(foodbank);

// The factors that shape his outcomes, and who influences them.
MATCH (brian:Person {name: 'Brian'}),
      (gp:Service {name: 'GP practice'}),
      (housing:Service {name: 'Housing association'}),
      (ed:Service {name: 'Emergency department'}),
      (foodbank:Service {name: 'Food bank'}),
      (sister:Person {name: 'Jo'})
CREATE (home:Factor {name: 'Housing', state: 'damp, overcrowded'})
CREATE (income:Factor {name: 'Income', state: 'insecure'})
CREATE (health:Factor {name: 'Health', state: 'asthma, worsening'})
CREATE (brian)-[:AFFECTED_BY]->(home)
CREATE (brian)-[:AFFECTED_BY]->(income)
CREATE (brian)-[:AFFECTED_BY]->(health)
CREATE (home)-[:INFLUENCES {how: 'damp makes asthma worse'}]->(health)
CREATE (income)-[:INFLUENCES {how: 'cannot afford heating'}]->(home)
CREATE (housing)-[:CAN_INFLUENCE]->(home)
CREATE (gp)-[:CAN_INFLUENCE]->(health)
CREATE (ed)-[:CAN_INFLUENCE]->(health)
CREATE (foodbank)-[:CAN_INFLUENCE]->(income)
CREATE (sister)-[:CAN_INFLUENCE]->(income);

// The question: what shapes Brian's health, directly or through other factors,
// and who in his system can act on it?
MATCH (:Person {name: 'Brian'})-[:AFFECTED_BY]->(f:Factor)-[:INFLUENCES*0..2]->(:Factor {name: 'Health'})
MATCH (actor:Actor)-[:CAN_INFLUENCE]->(f)
RETURN f.name AS factor, f.state AS state, collect(actor.name) AS who_can_act
ORDER BY factor;
