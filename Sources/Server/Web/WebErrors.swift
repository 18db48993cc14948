import OllamaAPI
import WebStore

extension WebStoreError {
    /// The HTTP status a store error answers with.
    var status: Int {
        switch self {
        case .database: 500
        case .alreadySetUp, .usernameTaken, .lastAdmin: 409
        case .invalidUsername, .passwordTooShort, .invalidJSON: 400
        case .notFound: 404
        }
    }

    var apiError: APIError { APIError(status: status, description) }
}
