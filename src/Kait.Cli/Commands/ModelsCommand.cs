using System.CommandLine;
using System.Text.Json;
using Kait.Cli.Output;
using Kait.Sdk;
using Kait.Sdk.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Kait.Cli.Commands;

/// <summary><c>kait models [--json]</c>: aliases, provider models, whether the key variable is set, and the route.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("models", "List the model aliases of the config") { json };
        command.SetAction((parse, ct) =>
        {
            using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var catalog = services.GetRequiredService<IModelCatalog>();
            var options = services.GetRequiredService<IOptions<KaitOptions>>().Value;
            var rows = catalog.Aliases.Select(a => Describe(a, options, context.Environment)).ToArray();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ModelJsonArray));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns("alias", "member", "provider model", "key variable", "route");
            foreach (var row in rows)
            {
                table.AddRow(
                    Markup.Escape(row.Alias),
                    Markup.Escape(row.Member is null ? "-" : "Models." + row.Member),
                    Markup.Escape(row.Model ?? "-"),
                    Markup.Escape(row.KeyVariable is null ? "-" : row.KeyVariable + (row.KeySet ? " (set)" : " (not set)")),
                    Markup.Escape(row.Route));
            }

            var console = Consoles.For(context.Out);
            console.Write(table);
            if (catalog.Wildcards.Count > 0)
            {
                console.WriteLine("wildcards: " + string.Join(", ", catalog.Wildcards.Select(w => w.Pattern)));
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static ModelJson Describe(ModelAlias alias, KaitOptions options, KaitEnvironment environment)
    {
        var d = alias.Deployments.Count > 0 ? alias.Deployments[0] : null;
        var keySet = d?.ApiKeyVariable is { } variable && environment.Get(variable) is not null;
        var bridged = Kait.Sdk.Routing.DirectRouteResolver.FirstBridgeable(alias.Deployments);
        var route = options.Proxy.Enabled ? "proxy"
            : bridged is not null ? "direct (" + bridged.Provider + ")"
            : "proxy only";
        var member = AliasIdentifiers.ToIdentifier(alias.Name);
        return new ModelJson(alias.Name, member.Length == 0 ? null : member, d?.Provider, d?.Model, d?.ApiKeyVariable, keySet, route, alias.Source);
    }
}
