extension ModelStoreError {
    /// A failed system call on a store file, classified as the store's own calls are (a full disk
    /// and a refused permission get their own cases): for code outside this module that writes
    /// into the store, such as a download writing its partial file.
    public static func failedCall(_ code: Int32, _ operation: String, path: String) -> ModelStoreError {
        system(code, operation, path)
    }
}
