import Placement
import Testing

@Suite("Inventories")
struct InventoryTests {
    static let here = Inventory(gpus: [], ram: Device(id: "ram", kind: .ram, name: "system RAM", totalBytes: 1 << 34,
                                                      freeBytes: 1 << 33, bandwidth: 1e9), cores: 2, origin: "this machine")

    @Test(arguments: [
        ("8x48GiB,ram:2TiB", 8, 48 << 30, 2 << 40, 2),
        ("gpu:48GiB,gpu:80GiB,ram:512GB,cores:64", 2, 48 << 30, 512_000_000_000, 64),
        ("2xgpu:24G", 2, 24 << 30, 1 << 34, 2),
        ("ram:1TiB", 0, 0, 1 << 40, 2),
    ])
    func described(text: String, gpus: Int, firstGPU: Int, ram: Int, cores: Int) throws {
        let inventory = try InventoryDescription.parse(text, local: Self.here)
        #expect(inventory.gpus.count == gpus)
        #expect(inventory.gpus.first?.totalBytes ?? 0 == firstGPU)
        #expect(inventory.gpus.map(\.id) == (0..<gpus).map { "gpu\($0)" })
        #expect(inventory.ram.totalBytes == ram)
        #expect(inventory.cores == cores)
    }

    @Test(arguments: ["8x", "gpu:lots", "tpu:16GiB", "0x48GiB", "ram:", ""])
    func badDescriptionsNameTheItem(text: String) {
        #expect(throws: InventoryError.self) { try InventoryDescription.parse(text, local: Self.here) }
    }

    @Test(arguments: [("48GiB", 48 << 30), ("2TiB", 2 << 40), ("404GB", 404_000_000_000), ("1.5GiB", 3 << 29), ("512", 512)])
    func byteSizes(text: String, bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test func formats() {
        #expect(ByteSize.format(47 << 30 + 1 << 29) == "47.5 GiB")
        #expect(ByteSize.format(457 << 20) == "457.0 MiB")
        #expect(ByteSize.format(912) == "912 B")
    }

    @Test func detectsThisMachine() {
        let inventory = LocalInventory.detect()
        #expect(inventory.ram.totalBytes > 0)
        #expect(inventory.ram.freeBytes <= inventory.ram.totalBytes)
        #expect(inventory.cores >= 1)
    }

    @Test func parsesNvidiaSMIAndMeminfo() {
        let gpus = LocalInventoryParsing.nvidiaSMI("NVIDIA H200, 143771, 143000\nNVIDIA L40S, 46068, 45000\n")
        #expect(gpus.map(\.name) == ["NVIDIA H200", "NVIDIA L40S"])
        #expect(gpus.map(\.totalBytes) == [143_771 << 20, 46068 << 20])
        #expect(gpus.map(\.freeBytes) == [143_000 << 20, 45000 << 20])
        let memory = LocalInventoryParsing.meminfo("MemTotal:       24576000 kB\nMemFree:  100 kB\nMemAvailable:   20480000 kB\n")
        #expect(memory.total == 24_576_000 * 1024)
        #expect(memory.available == 20_480_000 * 1024)
    }
}
