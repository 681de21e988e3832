using Kait.Sdk;

namespace Kait.Cli;

/// <summary>What a command runs against: the environment (process or test), stdout and stderr.</summary>
internal sealed record CliContext(KaitEnvironment Environment, TextWriter Out, TextWriter Error);
