"""Latin-script words in Chinese lessons: built-in classroom terms, and spelling everything else."""
