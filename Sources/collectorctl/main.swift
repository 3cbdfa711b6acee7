import CollectorCLI
import Foundation

exit(await CollectorCtl.run())
