import Registry
import Testing

@Suite("Part planning and resume bookkeeping")
struct PartPlanTests {
    @Test func ollamaSizesClampBetween100MBAnd1000MB() {
        let plan = PartPlan.ollama
        #expect(plan.partSize(total: 50_000_000) == 100_000_000)
        #expect(plan.partSize(total: 4_000_000_000) == 250_000_000)
        #expect(plan.partSize(total: 404_430_188_384) == 1_000_000_000)
        #expect(plan.parts(total: 50_000_000) == [PartState(index: 0, offset: 0, size: 50_000_000)])
        let parts = plan.parts(total: 491_400_032)
        #expect(parts.map(\.offset) == [0, 100_000_000, 200_000_000, 300_000_000, 400_000_000])
        #expect(parts.last?.size == 91_400_032)
    }

    @Test func partsTileTheBlobWithTheRemainderLast() {
        let plan = PartPlan(parts: 4, minimumSize: 10, maximumSize: 1000)
        let parts = plan.parts(total: 103)
        #expect(parts.map(\.size) == [25, 25, 25, 25, 3])
        #expect(parts.map(\.index) == [0, 1, 2, 3, 4])
        #expect(parts.last?.lastByte == 102)
        #expect(plan.parts(total: 0).isEmpty)
    }

    @Test func savedPartsThatTileAreResumedFromWhereTheyStopped() {
        let plan = PartPlan(parts: 2, minimumSize: 10, maximumSize: 1000)
        let saved = [PartState(index: 1, offset: 50, size: 50, completed: 50), PartState(index: 0, offset: 0, size: 50, completed: 20)]
        let (parts, resumed) = plan.resume(total: 100, saved: saved)
        #expect(resumed)
        #expect(parts.map(\.resumeOffset) == [20, 100])
        #expect(parts.map(\.isComplete) == [false, true])
    }

    @Test(arguments: [
        [PartState(index: 0, offset: 0, size: 50, completed: 10)],                                                     // a gap at the end
        [PartState(index: 0, offset: 0, size: 60), PartState(index: 1, offset: 50, size: 50)],                         // overlap
        [PartState(index: 0, offset: 0, size: 50, completed: 51), PartState(index: 1, offset: 50, size: 50)],          // more than its size
        [PartState(index: 0, offset: 0, size: 50), PartState(index: 1, offset: 50, size: 60)],                         // beyond the blob
        [],
    ])
    func savedPartsThatDoNotTileStartOver(saved: [PartState]) {
        let plan = PartPlan(parts: 2, minimumSize: 10, maximumSize: 1000)
        let (parts, resumed) = plan.resume(total: 100, saved: saved)
        #expect(!resumed)
        #expect(parts == plan.parts(total: 100))
    }
}
