"""The council's inbox and its review of a sheet: the opinion (draft, then signed) and the
closing (seed 000, II.A–II.B; annex 3's "Avis du comité de pilotage").

Two kinds of sheet reach the council: anomaly sheets (annex 3) and handed exam-conditions
sheets (annex 4) with a condition not respected. A sheet's `CouncilReview` is created by
the council's first write on it. The opinion is a draft until a council member signs it
(a COUNCIL_OPINION signature of the opinion and the actions adopted at that moment): it is
then frozen. The review closes once the opinion is signed and every adopted action is
verified (`rules.close_problem`); a closed review accepts no change.

`sheets` finds a sheet and its review, `inbox` lists them, `opinion` says what the signed
opinion holds, `page` is the review page's model and `operations` the council's writes.
"""
