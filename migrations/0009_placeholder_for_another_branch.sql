-- Placeholder: number 0009 belongs to another branch of issue 15. The migrations must run without gaps, so this
-- branch (which owns 0010) carries an empty 0009 until that branch is merged; drop this file at the merge.
SELECT 1;
