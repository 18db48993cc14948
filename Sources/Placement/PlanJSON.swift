import JSON

extension Plan {
    /// The plan as `tern plan --json` prints it (and as the server can return it): snake_case keys,
    /// bytes as integers, the per-device breakdown under `devices`.
    public var json: JSONValue {
        var o: JSONObject = [
            ("policy", .string(policy.rawValue)),
            ("fits", .bool(fits)),
        ]
        if let refusal { o["refusal"] = .string(refusal) }
        o["context_length"] = .int(contextLength)
        o["parallel"] = .int(parallel)
        o["kv_type"] = .string(kvType.rawValue)
        o["total_bytes"] = .int(totalBytes)
        o["gpu_bytes"] = .int(gpuBytes)
        o["ram_bytes"] = .int(ramBytes)
        o["gpu_layers"] = .int(gpuLayers)
        o["layer_count"] = .int(layerCount)
        o["cpu_fraction"] = .double(cpuFraction)
        o["processor"] = .string(processor)
        o["ram_bytes_per_token"] = .int(ramBytesPerToken)
        o["predicted_decode_tps"] = .double(predictedDecodeTokensPerSecond)
        o["devices"] = .array(devices.map(\.json))
        o["notes"] = .array(notes.map(JSONValue.string))
        return .object(o)
    }
}

extension DevicePlan {
    public var json: JSONValue {
        .object([
            ("id", .string(device.id)), ("kind", .string(device.kind.rawValue)), ("name", .string(device.name)),
            ("total_bytes", .int(device.totalBytes)), ("free_bytes", .int(device.freeBytes)),
            ("bandwidth_bytes_per_second", .double(device.bandwidth)),
            ("weight_bytes", .int(weightBytes)), ("kv_bytes", .int(kvBytes)), ("compute_bytes", .int(computeBytes)),
            ("overhead_bytes", .int(overheadBytes)), ("planned_bytes", .int(totalBytes)), ("shortfall_bytes", .int(shortfall)),
            ("bytes_read_per_token", .int(bytesReadPerToken)), ("holds", .array(holds.map(JSONValue.string))),
        ])
    }
}
