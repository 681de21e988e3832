using Kait.Sample;
using Kait.Sdk;

// Every alias of config/litellm_config.yaml is a typed member: Models.ClaudeFast, Models.OpenAIDefault ...
// A misspelt one (Models.ClaudeFsat) does not compile.
Console.WriteLine($"{"alias",-16} {"member",-22} {"provider model",-40} key variable");
foreach (var alias in Models.All)
{
    var deployment = alias.Deployments[0];
    var key = deployment.ApiKeyVariable is null ? "(none)" : $"{deployment.ApiKeyVariable} ({(Environment.GetEnvironmentVariable(deployment.ApiKeyVariable) is { Length: > 0 } ? "set" : "not set")})";
    Console.WriteLine($"{alias.Name,-16} {"Models." + Member(alias),-22} {deployment.Provider + "/" + deployment.ProviderModel,-40} {key}");
}

// The catalogue the runtime routes with was filled by the generated module initializer.
var catalog = new ModelCatalog();
Console.WriteLine();
Console.WriteLine($"Catalogue: {catalog.Aliases.Count} aliases; '{(string)Models.ClaudeFast}' resolves to {catalog.Resolve(Models.Names.ClaudeFast).Deployments[0].Model}.");
// A constant typo would not build (KAIT100); a value read at run time, like this one, is checked at run time.
var fromSettings = args.Length > 0 ? args[0] : "claude-" + "fsat".ToString();
try
{
    catalog.Resolve(fromSettings);
}
catch (UnknownModelAliasException ex)
{
    Console.WriteLine("A string typo is caught at run time too: " + ex.Message);
}

static string Member(ModelAlias alias) => alias.MemberName;
