// Interpreter+Calls: binds a call's arguments to a CommandSpec's parameters, checks
// their types with uniform messages, runs the handler and places its errors.

extension Interpreter {
    /// Calls a registered command with unevaluated arguments.
    func call(_ name: String, nameRange: SourceRange, arguments: [Argument], range: SourceRange) throws -> Value {
        guard let command = registry.command(named: name) else {
            var message = variables[name] != nil
                ? "'\(name)' is a \(variables[name]?.typeName ?? "value"), not a command"
                : "undefined name '\(name)'"
            if variables[name] == nil, let suggestion = registry.suggestion(for: name, extra: variables.names) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw ScriptError(message, range: nameRange)
        }
        let bound = try bind(arguments, to: command, callRange: range)
        do {
            try interruption.check()
            return try command.handler(bound, self)
        } catch var error as ScriptError {
            if error.range == nil {
                error.range = error.argument.flatMap { bound.ranges[$0] } ?? range
            }
            if !error.namesCommand {
                error.message = "\(name): \(error.message)"
                error.namesCommand = true
            }
            throw error
        } catch let error as QuitRequest {
            throw error
        } catch let error as Interrupted {
            throw error
        } catch let error as ScriptFailure {
            throw error
        } catch {
            throw ScriptError("\(name): \(error)", range: range, namesCommand: true)
        }
    }

    /// Matches positional and named arguments to parameters, fills defaults, evaluates and checks.
    private func bind(_ arguments: [Argument], to command: CommandSpec, callRange: SourceRange) throws -> CallArguments {
        let parameters = command.parameters
        let name = command.name
        var assigned: [String: (argument: Argument, position: Int)] = [:]
        var variadicArguments: [(argument: Argument, position: Int)] = []
        var nextPositional = 0
        for (offset, argument) in arguments.enumerated() {
            let position = offset + 1
            if let label = argument.label {
                guard let parameter = parameters.first(where: { $0.name == label }) else {
                    var message = "unknown named argument '\(label)' to '\(name)'"
                    if let suggestion = nearestName(to: label, in: parameters.map(\.name)) {
                        message += "; did you mean '\(suggestion)'?"
                    } else if !parameters.isEmpty {
                        message += " (it takes \(parameters.map(\.name).joined(separator: ", ")))"
                    }
                    throw ScriptError(message, range: argument.labelRange ?? argument.range)
                }
                guard assigned[parameter.name] == nil else {
                    throw ScriptError("argument '\(label)' given twice to '\(name)'", range: argument.range)
                }
                assigned[parameter.name] = (argument, position)
                continue
            }
            guard nextPositional < parameters.count else {
                throw ScriptError("too many arguments to '\(name)' (it takes at most \(parameters.count))",
                                  range: argument.range)
            }
            let parameter = parameters[nextPositional]
            if case .variadic = parameter.arity {
                variadicArguments.append((argument, position))
                continue
            }
            guard assigned[parameter.name] == nil else {
                throw ScriptError("argument '\(parameter.name)' given twice to '\(name)'", range: argument.range)
            }
            assigned[parameter.name] = (argument, position)
            nextPositional += 1
        }

        var values: [String: Value] = [:]
        var given: Set<String> = []
        var expressions: [String: () throws -> Value] = [:]
        var ranges: [String: SourceRange] = [:]
        for (index, parameter) in parameters.enumerated() {
            if case .variadic = parameter.arity {
                var items: [Value] = []
                for (argument, position) in variadicArguments {
                    items.append(try argumentValue(argument, parameter, position: position, command: name))
                }
                if !variadicArguments.isEmpty {
                    given.insert(parameter.name)
                    ranges[parameter.name] = variadicArguments[0].argument.range
                }
                values[parameter.name] = .list(items)
                continue
            }
            guard let (argument, position) = assigned[parameter.name] else {
                switch parameter.arity {
                case .optional(let defaultValue): values[parameter.name] = defaultValue.value
                default:
                    throw ScriptError("missing argument #\(index + 1) '\(parameter.name)' to '\(name)'"
                                      + " (\(command.signature))", range: callRange)
                }
                continue
            }
            given.insert(parameter.name)
            ranges[parameter.name] = argument.range
            if parameter.type == .expression {
                let expression = argument.value
                expressions[parameter.name] = { [unowned self] in try self.evaluate(expression) }
                values[parameter.name] = Value.none
            } else {
                values[parameter.name] = try argumentValue(argument, parameter, position: position, command: name)
            }
        }
        return CallArguments(commandName: name, values: values, given: given, expressions: expressions, ranges: ranges)
    }

    /// Evaluates one argument and checks it against the parameter's type.
    private func argumentValue(_ argument: Argument, _ parameter: Parameter, position: Int,
                               command: String) throws -> Value {
        let value: Value
        if parameter.type == .name, case .name(let bareName) = argument.value.kind {
            value = .string(bareName)
        } else {
            value = try evaluate(argument.value)
        }
        if let problem = mismatch(value, parameter.type) {
            let which = argument.label.map { "'\($0)'" } ?? "#\(position)"
            throw ScriptError("bad argument \(which) to '\(command)' (\(problem))", range: argument.value.range)
        }
        return value
    }

    /// Nil when `value` fits `type`; otherwise "number expected, got string".
    private func mismatch(_ value: Value, _ type: ParameterType) -> String? {
        let fits: Bool
        switch (type, value) {
        case (.any, _), (.expression, _): fits = true
        case (.number, .number), (.string, .string), (.bool, .bool), (.list, .list): fits = true
        case (.path, .string), (.name, .string): fits = true
        case (.integer, .number(let number)):
            if number != number.rounded() || !number.isFinite {
                return "integer expected, got \(formatNumber(number))"
            }
            fits = true
        case (.choice(let options), .string(let text)):
            if options.contains(text) { return nil }
            var problem = "\(type.displayName) expected, got \"\(text)\""
            if let suggestion = nearestName(to: text, in: options) { problem += "; did you mean \"\(suggestion)\"?" }
            return problem
        case (.object(let typeName), .object(let object)): fits = object.typeName == typeName
        case (.oneOf(let types), _): fits = types.contains { mismatch(value, $0) == nil }
        default: fits = false
        }
        return fits ? nil : "\(type.displayName) expected, got \(value.typeName)"
    }
}
