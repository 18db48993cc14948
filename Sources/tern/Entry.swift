import ArgumentParser
import TernCLI

@main
struct Entry {
    static func main() async {
        await Tern.main()
    }
}
