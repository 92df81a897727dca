// A map where the answers are not obvious: paths of several lengths, a cycle, mixed
// directions, a factor that only a repeated node would connect, and one that needs a
// detour because both of its shortest branches run through the same node.
ACTOR "Ann" AS Person;
ACTOR "Ambulance" AS Service;
ACTOR "Mum" AS Family;
ACTOR "Neighbour" AS Person;
ACTOR "GP" AS Service;
ACTOR "Council" AS Organisation;
ACTOR "Hermit" AS Person;
FACTOR "Income";
FACTOR "Housing" AT place SCALE;
FACTOR "Health";
FACTOR "Transport" AT place SCALE;
FACTOR "Debt";
FACTOR "Isolation";
LINK "Ann" -[:CALLS]-> "Ambulance";
LINK "Ann" -[:USES]-> "Ambulance";
LINK "Ann" -[:AFFECTED_BY]-> "Housing";
LINK "Housing" -[:PRESSURES]-> "Ambulance";
LINK "Ann" -[:EARNS]-> "Income";
LINK "Income" <-[:SETS]- "Council";
LINK "Council" -[:COMMISSIONS]-> "Ambulance";
LINK "Housing" -[:AFFECTS]-> "Health";
LINK "Health" <-[:TREATS]- "GP";
LINK "GP" -[:REFERS_TO]-> "Ambulance";
LINK "Income" -[:CAUSES]-> "Debt";
LINK "Mum" -[:CARES_FOR]-> "Ann";
LINK "Mum" -[:KNOWS]- "Neighbour";
LINK "Neighbour" -[:USES]-> "Transport";
LINK "Transport" -[:SHAPES]-> "Mum";
LINK "Transport" -[:REACHES]-> "GP";
LINK "Neighbour" -[:FEELS]-> "Isolation";
LINK "Isolation" <-[:IGNORES]- "Council";

// Default: within 4 steps. Health's shortest branches both pass through Housing, so its
// shortest simple path is the detour through GP; Debt hangs off Income only.
WHICH FACTORS LINK "Ann" TO "Ambulance";
WHICH FACTORS LINK "ann" TO "AMBULANCE" WITHIN 1 STEP?;
WHICH FACTORS LINK "Ann" TO "Ambulance" WITHIN 2 STEPS;
WHICH FACTORS LINK "Ann" TO "Ambulance" WITHIN 8 STEPS;
// Direction is ignored: the same answer from the other end.
WHICH FACTORS LINK "Ambulance" TO "Ann" WITHIN 8 STEPS;
WHO LINKS "Ann" TO "Ambulance";
WHO LINKS "Ann" TO "Ambulance" WITHIN 5 STEPS;
WHICH FACTORS LINK "Ann" TO "Hermit" WITHIN 8 STEPS;
PATHS FROM "Ann" TO "Ambulance" WITHIN 4 STEPS;
PATHS FROM "Ann" TO "Ambulance" LIMIT 3;
PATHS FROM "Debt" TO "Ambulance" WITHIN 3 STEPS;
PATHS FROM "Ann" TO "Hermit";
