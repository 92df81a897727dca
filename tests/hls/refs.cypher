// How questions name nodes: names ignoring case, Label "name", #id, parameters; what an
// ambiguous or misspelt name says.
FACTOR "Park" AT place SCALE;
ACTOR "park" AS Place;
ACTOR "Parks team" AS Service;
LINK Factor "Park" -[:MAINTAINED_BY]-> "Parks team";
LINK Actor "PARK" -[:MANAGED_BY]-> "parks TEAM";
SHOW "park";
SHOW Factor "PARK";
SHOW Actor "park";
SHOW #0;
SHOW #99;
SHOW "Parc";
SHOW Place "Parks team";
SHOW "Parks teem";
LINK "Park" -[:NEAR]-> "Parks team";
LINK "Parks team" -[:NEAR]-> "Libary";
WHICH FACTORS LINK "Parks team" TO "Nowhere";
// Quick capture matches by label and name: these update, they do not add nodes.
ACTOR "PARK" AS Place {opened: 1990};
FACTOR "PARK" {quality: 'good'};
MATCH (n) RETURN n.name AS name, labels(n) AS labels, n.scale AS scale, n.opened AS opened, n.quality AS quality ORDER BY name;
