"""Where bytes live: the segment cache and the output folder laid out like the S3 bucket."""
