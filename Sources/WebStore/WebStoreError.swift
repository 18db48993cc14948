/// What can go wrong in the web store, with enough context to show a person or a log.
public enum WebStoreError: Error, Equatable, CustomStringConvertible {
    /// SQLite refused or failed; `operation` says what the store was doing.
    case database(operation: String, message: String)
    /// The first-run admin can be created only while there are no users.
    case alreadySetUp
    case usernameTaken(String)
    case invalidUsername(String)
    case passwordTooShort(minimum: Int)
    /// `what` names the missing thing ("chat 1f0c…", "user 3"); another user's chat is reported the same way.
    case notFound(String)
    /// Removing, disabling or demoting the last enabled admin would lock everyone out of administration.
    case lastAdmin
    /// Stored JSON (chat options, message stats) must be an object.
    case invalidJSON(field: String)

    public var description: String {
        switch self {
        case .database(let operation, let message): "database error while \(operation): \(message)"
        case .alreadySetUp: "an admin account already exists"
        case .usernameTaken(let name): "the username \"\(name)\" is taken"
        case .invalidUsername(let name):
            "invalid username \"\(name)\": use 1 to 64 letters, digits, '.', '_', '-' or '@'"
        case .passwordTooShort(let minimum): "the password must have at least \(minimum) characters"
        case .notFound(let what): "\(what) not found"
        case .lastAdmin: "there must remain at least one enabled admin"
        case .invalidJSON(let field): "\(field) must be a JSON object"
        }
    }
}
