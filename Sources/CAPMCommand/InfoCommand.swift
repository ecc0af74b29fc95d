import ArgumentParser
import CAPM

/// `capm info`: the library version and the linear-algebra backend it runs on.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print the CAPM version and the BLAS/LAPACK backend in use.")

    func run() throws {
        print("capm \(CAPMVersion.string)")
        print("BLAS: \(BLAS.configuration)")
        print("BLAS threads: \(BLAS.threads) of \(BLAS.processors) processors")
    }
}
