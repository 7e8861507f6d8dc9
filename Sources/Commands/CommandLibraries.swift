// The command libraries the ecgs executable installs, composed into one registry.
// Each layer adds its library here (one file per group); nothing else lists commands.
import Script

/// Every command library, in the order `help` lists their topics.
public func allCommandLibraries() -> [CommandLibrary] {
    [coreCommands(), valueCommands(), mathCommands(), tensorCommands(), recordCommands(), modelCommands(),
     workspaceCommands()]
}

/// Every command of every library, in `help` order.
public func allCommands() -> [CommandSpec] {
    allCommandLibraries().flatMap(\.commands)
}

/// A registry holding every command library.
public func makeCommandRegistry() -> CommandRegistry {
    CommandRegistry(libraries: allCommandLibraries())
}
