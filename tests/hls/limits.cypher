// Limits: a live session never hangs. A complete graph of 12 actors has millions of
// simple paths within 8 steps; the partial-path limit stops the question with a message.
UNWIND range(1, 12) AS i CREATE (:Actor:Person {name: 'p' + i});
MATCH (a:Actor), (b:Actor) WHERE id(a) < id(b) CREATE (a)-[:KNOWS]->(b);
// Factor fi links pi and p(i+1); f9 hangs off p9 alone.
UNWIND range(1, 8) AS i MATCH (a {name: 'p' + i}), (b {name: 'p' + (i + 1)}) CREATE (a)-[:AFFECTED_BY]->(:Factor {name: 'f' + i})<-[:AFFECTED_BY]-(b);
MATCH (a {name: 'p9'}) CREATE (a)-[:AFFECTED_BY]->(:Factor {name: 'f9'});
// @path-limit 5000
PATHS FROM "p1" TO "p2" WITHIN 8 STEPS;
WHO LINKS "p1" TO "p2" WITHIN 8 STEPS;
PATHS FROM "p1" TO "p2" WITHIN 2 STEPS LIMIT 3;
WHICH FACTORS LINK "p1" TO "p2" WITHIN 3 STEPS;
// @path-limit 300
WHICH FACTORS LINK "p1" TO "p2" WITHIN 8 STEPS;
// @path-limit 1000000
WHICH FACTORS LINK "p1" TO "p2" WITHIN 8 STEPS;
PATHS FROM "p1" TO "p2" WITHIN 3 STEPS LIMIT 4;
// Step counts and ends are checked.
WHICH FACTORS LINK "p1" TO "p2" WITHIN 9 STEPS;
WHICH FACTORS LINK "p1" TO "p2" WITHIN 0 STEPS;
SHOW "p1" WITHIN 12 STEPS;
PATHS FROM "p1" TO "P1";
PATHS FROM "p1" TO "p2" LIMIT -1;
WHICH FACTORS LINK "p1" TO "p2" WITHIN n STEPS;
