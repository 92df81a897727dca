// The five HLS questions, on the maps of life-as-a-system.cypher, brian.cypher and
// plymouth-alliance.cypher (run those first, on the same store).
//   steward --db /tmp/hls-demo run examples/questions.cypher

// 1. Which factors link Brian to emergency services?
WHICH FACTORS LINK "Brian" TO "Emergency services" WITHIN 3 STEPS?;

// 2. Who else links Brian to the local authority?
WHO LINKS "Brian" TO "Local authority" WITHIN 3 STEPS?;

// 3. How could Brian's life reach the alliance?
PATHS FROM "Brian" TO "Plymouth Alliance" WITHIN 3 STEPS LIMIT 5;

// 4. Brian's life as a system: everything one relationship away.
SHOW "Brian";

// 5. What have we learnt about housing, and how did we learn it?
WHAT HAVE WE LEARNT ABOUT "Housing and neighbourhood conditions"?;
WHAT HAVE WE LEARNT;

// 6. Brian's system as it was in 2016, at the peak of his crisis costs ...
AS OF 2016 SHOW "Brian";

// ... and what changed between then and 2019, once services worked relationally.
WHAT CHANGED FOR "Brian" BETWEEN 2016 AND 2019;
