// EXPLAIN of representative statements: the operator trees the planner makes, with row
// estimates from the store's counts. A change here is a change of plan: review it.
CREATE (brian:Actor:Person {name: 'Brian', scale: 'person'}),
       (gp:Actor:Service {name: 'GP', scale: 'organisation'}),
       (housing:Actor:Service {name: 'Housing', scale: 'organisation'}),
       (income:Factor {name: 'Income', scale: 'person'}),
       (brian)-[:USES]->(gp), (brian)-[:USES]->(housing),
       (income)-[:AFFECTS]->(brian), (housing)-[:RESPONDS_TO]->(income);

// A seek by name, one hop, a filter pushed into the walk.
EXPLAIN MATCH (p:Person {name: 'Brian'})-[:USES]->(s:Service) WHERE s.name STARTS WITH 'G' RETURN s.name;

// Grouping and a top-k (ORDER BY with LIMIT); the walk counts the hop into p (one row
// per factor, not per person affected).
EXPLAIN MATCH (f:Factor)-[:AFFECTS]->(p:Person) RETURN f.name AS factor, count(DISTINCT p) AS persons ORDER BY persons DESC, factor LIMIT 10;

// A neighbourhood's size: the trails into n are counted from Brian, n checked once each.
EXPLAIN MATCH (p:Person {name: 'Brian'})-[*1..2]-(n) WHERE n <> p RETURN count(DISTINCT n);

// A full sort, DISTINCT, SKIP and LIMIT without ORDER BY.
EXPLAIN MATCH (n) RETURN DISTINCT labels(n) AS labels ORDER BY labels;
EXPLAIN MATCH (n:Actor) RETURN n.name SKIP 1 LIMIT 2;

// WITH ... WHERE after an aggregation, then more matching.
EXPLAIN MATCH (s1:Service)<-[:USES]-(p:Person)-[:USES]->(s2:Service) WHERE s1.name < s2.name
        WITH s1, s2, count(p) AS shared WHERE shared >= 1
        RETURN s1.name, s2.name, shared;

// OPTIONAL MATCH, UNWIND, variable length and shortest paths.
EXPLAIN UNWIND ['Brian', 'Nobody'] AS who OPTIONAL MATCH (p {name: who})-[:USES]->(s) RETURN who, s.name;
EXPLAIN MATCH path = (p:Person {name: 'Brian'})-[*1..3]-(s:Service {name: 'Housing'}) RETURN length(path);
EXPLAIN MATCH (a {name: 'Brian'}), (b {name: 'Income'}) MATCH path = shortestPath((a)-[*..6]-(b)) RETURN length(path);

// UNION, and EXISTS subqueries: a pattern (checked by the walk) and full queries (planned
// with the statement, shown under the operator that runs them).
EXPLAIN MATCH (a:Person) RETURN a.name AS name UNION MATCH (s:Service) RETURN s.name AS name;
EXPLAIN MATCH (s:Service) WHERE EXISTS { MATCH (s)-[:RESPONDS_TO]->(:Factor) } RETURN s.name;
EXPLAIN MATCH (p:Person) WHERE EXISTS { MATCH (p)-[:USES]->(s) WITH s WHERE EXISTS { MATCH (s)-[:RESPONDS_TO]->(f) RETURN f } RETURN s } RETURN p.name;

// Updates: their input is read in full first (Eager), then written.
EXPLAIN MATCH (p:Person) CREATE (p)-[:KNOWS]->(:Actor:Person {name: 'Ada', scale: 'person'});
EXPLAIN MERGE (s:Actor:Service {name: 'Library'}) ON CREATE SET s.scale = 'organisation' RETURN s.name;
EXPLAIN MATCH (s:Service {name: 'GP'}) SET s.open = true REMOVE s.closed;
EXPLAIN MATCH (n {name: 'Nobody'}) DETACH DELETE n;
EXPLAIN UNWIND range(1, 3) AS i CREATE (:Note {i: i});

// Procedures and the HLS questions.
EXPLAIN CALL db.labels() YIELD label RETURN label ORDER BY label;
EXPLAIN WHICH FACTORS LINK 'Brian' TO 'Housing' WITHIN 3 STEPS;

// LOAD CSV: one row per record of the file, read as rows are pulled (EXPLAIN opens no file);
// the update after it reads its input in full first, like any other.
EXPLAIN LOAD CSV WITH HEADERS FROM 'people.csv' AS row FIELDTERMINATOR ';'
        MERGE (p:Actor:Person {name: row.name}) SET p.age = toInteger(row.age);
EXPLAIN LOAD CSV FROM 'file:///data/people.csv' AS row WITH row WHERE row[1] IS NOT NULL RETURN row[0] AS name, linenumber() AS line LIMIT 5;

// EXPLAIN runs nothing: the graph still has four nodes.
MATCH (n) RETURN count(n) AS nodes;
