import CollectorCLI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

exit(await CollectorCtl.run(arguments: Array(CommandLine.arguments.dropFirst())))
