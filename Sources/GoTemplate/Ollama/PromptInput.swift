import JSON

/// One chat message as the template sees it (`api.Message`). Image data stays with the server;
/// the template only learns how many there are (the server has already put `[img-N]` tags into
/// `content`, as Ollama does before rendering).
public struct PromptMessage: Sendable, Equatable {
    public struct ToolCall: Sendable, Equatable {
        public var id: String
        public var index: Int
        public var name: String
        public var arguments: JSONObject

        public init(id: String = "", index: Int = 0, name: String, arguments: JSONObject = JSONObject()) {
            self.id = id
            self.index = index
            self.name = name
            self.arguments = arguments
        }
    }

    public var role: String
    public var content: String
    public var thinking: String
    public var imageCount: Int
    public var toolCalls: [ToolCall]
    public var toolName: String
    public var toolCallID: String

    public init(role: String, content: String = "", thinking: String = "", imageCount: Int = 0,
                toolCalls: [ToolCall] = [], toolName: String = "", toolCallID: String = "") {
        self.role = role
        self.content = content
        self.thinking = thinking
        self.imageCount = imageCount
        self.toolCalls = toolCalls
        self.toolName = toolName
        self.toolCallID = toolCallID
    }
}

/// The request's `think` value: a boolean or a level (`low|medium|high|max`).
public enum ThinkSetting: Sendable, Equatable {
    case enabled(Bool)
    case level(String)

    /// `.Think`: true for `true` and for any known level.
    var think: Bool {
        switch self {
        case .enabled(let on): on
        case .level(let level): ["low", "medium", "high", "max"].contains(level)
        }
    }

    /// `.ThinkLevel`: the level given, "medium" for a bare `true`, else "".
    var level: String {
        switch self {
        case .enabled(let on): on ? "medium" : ""
        case .level(let level): level
        }
    }
}

/// Everything a prompt is rendered from.
public struct PromptInput: Sendable, Equatable {
    /// Placed before `messages` as a system message (the request's or the Modelfile's SYSTEM,
    /// as the server decides); nil or empty adds nothing.
    public var system: String?
    public var messages: [PromptMessage]
    /// Each tool object as the client sent it; nil when the request had none (`.Tools` is then
    /// nil, printing `null`), empty when it had an empty list (printing `[]`).
    public var tools: [JSONValue]?
    /// nil when the request did not carry `think` (`.IsThinkSet` false).
    public var think: ThinkSetting?
    /// `/api/generate` with a `suffix`: fill-in-the-middle renders `.Prompt` and `.Suffix` only.
    public var prompt: String?
    public var suffix: String?

    public init(system: String? = nil, messages: [PromptMessage] = [], tools: [JSONValue]? = nil,
                think: ThinkSetting? = nil, prompt: String? = nil, suffix: String? = nil) {
        self.system = system
        self.messages = messages
        self.tools = tools
        self.think = think
        self.prompt = prompt
        self.suffix = suffix
    }
}
