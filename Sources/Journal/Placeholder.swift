import GitStore
