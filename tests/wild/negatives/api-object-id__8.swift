import Foundation

enum PhotaAPI {
    static let base = URL(string: "https://api.photalabs.com/v1/phota/")!
    // Read from the Keychain, set once from the onboarding screen.
    static var apiKey: String { KeychainStore.shared.string(for: "PHOTA_API_KEY") ?? "" }

    // ids used by the SwiftUI previews
    static let previewProfileID = "73668fc66255026ef9dd345ecf092b95"
    static let previewJobID = UUID(uuidString: "D3F2B940-F5A7-439A-BDF5-B9300CDBB2A2")!
    static let previewImageSHA = "279513b6ad4e4308f34b3e82fa082a6a24afa2965eaca92be7a715b1a09d75d8"

    static func listProfiles() -> URLRequest {
        var req = URLRequest(url: base.appendingPathComponent("profiles/ids"))
        req.setValue(apiKey, forHTTPHeaderField: "X-API-Key")
        return req
    }
}
