#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This machine's inventory: RAM from /proc/meminfo capped by the cgroup's memory limit, cores
/// (capped by the cgroup's CPU quota), and NVIDIA GPUs when `nvidia-smi` is installed.
public enum LocalInventory {
    public static func detect() -> Inventory {
        let memory = LocalInventoryParsing.meminfo(SystemFiles.read("/proc/meminfo") ?? "")
        let limit = cgroupMemoryLimit()
        let total = min(memory.total, limit?.limit ?? .max)
        let available = min(memory.available, limit.map { max(0, $0.limit - $0.used) } ?? .max)
        let ram = Device(id: "ram", kind: .ram, name: "system RAM", totalBytes: total, freeBytes: available,
                         bandwidth: DefaultBandwidth.ram)
        let gpus = SystemFiles.findExecutable("nvidia-smi")
            .flatMap { SystemFiles.output(of: $0, ["--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"]) }
            .map(LocalInventoryParsing.nvidiaSMI) ?? []
        return Inventory(gpus: gpus, ram: ram, cores: cores(), origin: "this machine")
    }

    /// The cgroup's memory limit and current use: v2 (memory.max) or v1 (memory.limit_in_bytes);
    /// nil when unlimited or not in a cgroup.
    static func cgroupMemoryLimit() -> (limit: Int, used: Int)? {
        let candidates = [("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                          ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes")]
        for (limitPath, usedPath) in candidates {
            guard let text = SystemFiles.read(limitPath)?.trimmingSpaces.filter({ $0 != "\n" }) else { continue }
            // v1 spells "no limit" as a huge page-rounded number, v2 as "max".
            guard let limit = Int(text), limit < 1 << 60 else { return nil }
            let used = SystemFiles.read(usedPath).flatMap { Int($0.filter { $0 != "\n" }) } ?? 0
            return (limit, used)
        }
        return nil
    }

    /// Online cores, capped by a v2 CPU quota ("quota period" in cpu.max).
    static func cores() -> Int {
        let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        guard let parts = SystemFiles.read("/sys/fs/cgroup/cpu.max")?.split(whereSeparator: { $0 == " " || $0 == "\n" }),
              parts.count == 2, let quota = Int(parts[0]), let period = Int(parts[1]), period > 0 else { return online }
        return min(online, max(1, (quota + period - 1) / period))
    }
}
