using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Generators.Tests;

/// <summary>Loads a config the way an application does at run time (<c>AddKaitSdk</c>, then the model catalogue), from a
/// temporary directory that the test fills with the config and whatever it includes.</summary>
internal sealed class RuntimeConfigHarness : IDisposable
{
    public RuntimeConfigHarness()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kait-hostile-").FullName;
        ConfigDirectory = System.IO.Path.Combine(Directory, "config");
        System.IO.Directory.CreateDirectory(ConfigDirectory);
    }

    public string Directory { get; }

    public string ConfigDirectory { get; }

    public string ConfigFile => System.IO.Path.Combine(ConfigDirectory, "litellm_config.yaml");

    /// <summary>Writes <paramref name="yaml"/> as the config (UTF-8, no BOM).</summary>
    public RuntimeConfigHarness WithConfig(string yaml) => WithFile("litellm_config.yaml", System.Text.Encoding.UTF8.GetBytes(yaml));

    public RuntimeConfigHarness WithFile(string relative, byte[] bytes)
    {
        var path = System.IO.Path.Combine(ConfigDirectory, relative);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    /// <summary>The catalogue, or the exception loading it threw.</summary>
    public (IModelCatalog? Catalog, Exception? Error) Load(string? configFile = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(KaitEnvironment.FromDictionary(
            new Dictionary<string, string?> { ["KAIT_HOME"] = System.IO.Path.Combine(Directory, "home"), ["KAIT_CONFIG"] = configFile ?? ConfigFile },
            Directory));
        services.AddKaitSdk(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        try
        {
            return (provider.GetRequiredService<IModelCatalog>(), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
