import GGUF
import Placement

/// The R1 671B skeletons, built once per layout and read back header-only, as `tern plan` reads them.
enum R1Skeleton {
    static let legacy = load(.legacy)
    static let mla = load(.mla)

    static func load(_ layout: DeepSeekR1Skeleton.Layout) -> GGUFFile {
        // A skeleton is a few hundred KB: built in memory, never written.
        try! GGUFFile(bytes: try! DeepSeekR1Skeleton.writer(layout: layout).header(), data: .headerOnly)
    }

    static func footprint(_ layout: DeepSeekR1Skeleton.Layout) -> ModelFootprint {
        try! ModelFootprint(file: layout == .legacy ? legacy : mla)
    }

    /// The hardware of the issue: eight 48 GiB GPUs and 2 TiB of RAM.
    static let eightGPUs = try! InventoryDescription.parse("8x48GiB,ram:2TiB,cores:64", local: LocalInventory.detect())
}
