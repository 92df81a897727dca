// The scale rule whichever way a node is written: Cypher CREATE, MERGE, SET, labels.
CREATE (:Actor:Person {name: 'Asha'}), (:Actor:Organisation {name: 'Trust'}), (:Actor:Community {name: 'Estate'}), (:Factor {name: 'Skills'}), (:Other {name: 'Plain'});
MATCH (n) RETURN n.name AS name, n.scale AS scale ORDER BY name;
CREATE (:Actor {name: 'Star', scale: 'galaxy'});
CREATE (:Factor {name: 'Sky', scale: 'place'}), (:Actor {name: 'Moon', scale: 'moon'});
MERGE (f:Factor {name: 'Wind'}) ON CREATE SET f.scale = 'weather';
MATCH (a:Actor {name: 'Asha'}) SET a.scale = 'galaxy';
MATCH (a:Actor {name: 'Asha'}) SET a.scale = 'place' RETURN a.scale AS scale;
MATCH (a:Actor {name: 'Asha'}) SET a += {scale: 7};
MATCH (a:Actor {name: 'Asha'}) REMOVE a.scale RETURN a.scale AS scale;
CREATE (:Thing {name: 'Rock', scale: 'galaxy'});
MATCH (t:Thing) SET t:Factor;
MATCH (t:Thing) SET t.scale = 'place', t:Factor RETURN labels(t) AS labels, t.scale AS scale;
MATCH (n) RETURN n.name AS name, n.scale AS scale ORDER BY name;
