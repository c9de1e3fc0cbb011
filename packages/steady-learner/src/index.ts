// Filled in by the package's first feature commit.
export {};
