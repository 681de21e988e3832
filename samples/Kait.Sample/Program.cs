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
try
{
#pragma warning disable KAIT100 // the typo is the point: show the run-time check the analyzer would have caught at build time
    catalog.Resolve("claude-fsat");
#pragma warning restore KAIT100
}
catch (UnknownModelAliasException ex)
{
    Console.WriteLine("A string typo is caught at run time too: " + ex.Message);
}

static string Member(ModelAlias alias) => Kait.Sdk.Config.AliasIdentifiers.ToIdentifier(alias.Name);
