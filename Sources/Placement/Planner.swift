import GGUF

/// The placement planner's entry point: a model's header, an inventory and the user's options in,
/// a `Plan` out. Pure: nothing is loaded or allocated.
public enum Planner {
    public static func plan(file: GGUFFile, inventory: Inventory, options: PlanOptions) throws(PlacementError) -> Plan {
        try plan(footprint: try ModelFootprint(file: file), inventory: inventory, options: options)
    }

    public static func plan(footprint: ModelFootprint, inventory: Inventory, options: PlanOptions) throws(PlacementError) -> Plan {
        guard options.contextLength >= 1 else { throw .badOption("num_ctx", reason: "\(options.contextLength) must be at least 1") }
        guard options.parallel >= 1 else { throw .badOption("parallel", reason: "\(options.parallel) must be at least 1") }
        guard options.batchSize >= 1 else { throw .badOption("num_batch", reason: "\(options.batchSize) must be at least 1") }
        if let n = options.numGPU, n < 0 { throw .badOption("num_gpu", reason: "\(n) must be at least 0 (-1 lets the planner decide)") }
        switch options.policy {
        case .tern:
            return try TernPolicy(footprint: footprint, inventory: inventory, options: options).plan()
        case .ollama:
            var plan = OllamaPolicy(footprint: footprint, inventory: inventory, options: options).plan()
            if !options.overrides.isEmpty { plan.notes.append("tensor overrides are not part of Ollama's estimator and were ignored") }
            return plan
        }
    }
}
