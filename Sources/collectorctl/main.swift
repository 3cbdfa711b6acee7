import CollectorCLI
import Foundation

exit(await CollectorCtl.run(arguments: Array(CommandLine.arguments.dropFirst())))
