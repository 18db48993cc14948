import Testing
import WebAuth

@Suite("Access policy")
struct AccessPolicyTests {
    @Test func loopbackKeepsTheAPIOpenButNotTheUI() {
        let policy = AccessPolicy(mode: .auto, loopbackBind: true)
        #expect(policy.decide(.api, caller: .anonymous) == .allow)
        #expect(policy.decide(.apiAdmin, caller: .anonymous) == .allow)
        #expect(policy.decide(.uiUser, caller: .anonymous) == .unauthorized)
        #expect(policy.decide(.uiPublic, caller: .anonymous) == .allow)
    }

    @Test func networkBindNeedsCredentialsUnlessTurnedOff() {
        let policy = AccessPolicy(mode: .auto, loopbackBind: false)
        #expect(policy.decide(.api, caller: .anonymous) == .unauthorized)
        #expect(policy.decide(.api, caller: .user(isAdmin: false)) == .allow)
        #expect(AccessPolicy(mode: .off, loopbackBind: false).decide(.api, caller: .anonymous) == .allow)
        #expect(AccessPolicy(mode: .on, loopbackBind: true).decide(.api, caller: .anonymous) == .unauthorized)
        #expect(AccessPolicy.warning(mode: .off, loopbackBind: false, address: "0.0.0.0:11434") != nil)
        #expect(AccessPolicy.warning(mode: .off, loopbackBind: true, address: "127.0.0.1:11434") == nil)
        #expect(AccessPolicy.warning(mode: .auto, loopbackBind: false, address: "0.0.0.0:11434") == nil)
    }

    @Test func pushingIntoTheLibraryNeedsAnAdminWhereTheAPINeedsCredentials() {
        let network = AccessPolicy(mode: .auto, loopbackBind: false), loopback = AccessPolicy(mode: .auto, loopbackBind: true)
        #expect(network.decide(.library, caller: .anonymous) == .allow)
        #expect(network.decide(.libraryWrite, caller: .anonymous) == .unauthorized)
        #expect(network.decide(.libraryWrite, caller: .user(isAdmin: false)) == .forbidden)
        #expect(network.decide(.libraryWrite, caller: .user(isAdmin: true)) == .allow)
        #expect(loopback.decide(.libraryWrite, caller: .anonymous) == .allow)
    }

    @Test func onlyAdminsChangeModelsOrUsers() {
        let policy = AccessPolicy(mode: .auto, loopbackBind: true)
        #expect(policy.decide(.apiAdmin, caller: .user(isAdmin: false)) == .forbidden)
        #expect(policy.decide(.apiAdmin, caller: .user(isAdmin: true)) == .allow)
        #expect(policy.decide(.uiAdmin, caller: .user(isAdmin: false)) == .forbidden)
        #expect(policy.decide(.uiAdmin, caller: .user(isAdmin: true)) == .allow)
    }

    @Test(arguments: [
        ("GET", "/", RouteKind.uiPublic), ("POST", "/web/login", .uiPublic), ("GET", "/web/assets/app.js", .uiPublic),
        ("GET", "/web/chats", .uiUser), ("DELETE", "/web/chats/abc", .uiUser), ("GET", "/web/keys", .uiUser),
        ("GET", "/web/users", .uiAdmin), ("PATCH", "/web/users/3", .uiAdmin),
        ("POST", "/api/chat", .api), ("GET", "/api/tags", .api), ("POST", "/v1/chat/completions", .api),
        ("POST", "/api/pull", .apiAdmin), ("DELETE", "/api/delete", .apiAdmin), ("POST", "/api/blobs/sha256:00", .apiAdmin),
        ("GET", "/v2/library/x/manifests/latest", .library), ("HEAD", "/v2/library/x/blobs/sha256:00", .library),
        ("POST", "/v2/library/x/blobs/uploads/", .libraryWrite), ("PUT", "/v2/library/x/manifests/latest", .libraryWrite),
    ])
    func pathsAreClassified(method: String, path: String, kind: RouteKind) {
        #expect(AccessPolicy.classify(method: method, path: path) == kind)
    }
}

@Suite("Credentials")
struct CredentialsTests {
    @Test func sessionCookieAttributes() {
        let plain = SessionCookie.set(token: "abc", secure: false, maxAge: 60)
        #expect(plain == "tern_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict")
        #expect(SessionCookie.set(token: "abc", secure: true, maxAge: 60).hasSuffix("; Secure"))
        #expect(SessionCookie.clear(secure: false).contains("Max-Age=0"))
        #expect(SessionCookie.isSecure(forwardedProto: "https"))
        #expect(SessionCookie.isSecure(forwardedProto: "HTTPS, http"))
        #expect(!SessionCookie.isSecure(forwardedProto: "http"))
        #expect(!SessionCookie.isSecure(forwardedProto: nil))
    }

    @Test func readingCredentials() {
        #expect(SessionCookie.token(cookieHeader: "a=1; tern_session=xyz; b=2") == "xyz")
        #expect(SessionCookie.token(cookieHeader: "tern_session=") == nil)
        #expect(SessionCookie.token(cookieHeader: "other=1") == nil)
        #expect(BearerToken.parse(authorization: "Bearer tern_123") == "tern_123")
        #expect(BearerToken.parse(authorization: "bearer  tern_123 ") == "tern_123")
        #expect(BearerToken.parse(authorization: "Basic abc") == nil)
        #expect(BearerToken.parse(authorization: "Bearer ") == nil)
    }
}

@Suite("Login throttle")
struct LoginThrottleTests {
    @Test func blocksAfterTooManyFailuresUntilTheWindowPasses() throws {
        let throttle = LoginThrottle(maxFailures: 3, window: 60)
        for t in 0..<3 {
            #expect(throttle.retryAfter(client: "1.2.3.4", now: Double(t)) == nil)
            throttle.recordFailure(client: "1.2.3.4", now: Double(t))
        }
        let wait = try #require(throttle.retryAfter(client: "1.2.3.4", now: 10))
        #expect(wait == 50)
        #expect(throttle.retryAfter(client: "5.6.7.8", now: 10) == nil)
        #expect(throttle.retryAfter(client: "1.2.3.4", now: 61) == nil)
    }

    @Test func successClearsTheRecord() {
        let throttle = LoginThrottle(maxFailures: 2, window: 60)
        throttle.recordFailure(client: "c", now: 0)
        throttle.recordSuccess(client: "c")
        throttle.recordFailure(client: "c", now: 1)
        #expect(throttle.retryAfter(client: "c", now: 2) == nil)
    }
}
