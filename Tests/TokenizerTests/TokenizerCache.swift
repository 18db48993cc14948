import Synchronization
import TestSupport
import Tokenizer

/// Loads each test model's tokenizer once for all the tests that need it.
final class TokenizerCache: Sendable {
    private let loaded = Mutex<[TestModel: Tokenizer]>([:])

    func tokenizer(_ model: TestModel) throws -> Tokenizer {
        if let t = loaded.withLock({ $0[model] }) { return t }
        let t = try Tokenizer(path: model.path)
        loaded.withLock { $0[model] = t }
        return t
    }
}
