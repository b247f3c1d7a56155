using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.Service;

/// <summary>One test's folder (project with the repository's examples/todo-cli spec, state home, user home) and its environment,
/// for the service (through <c>AddSpecSynth</c>) and the CLI (in-process) alike.</summary>
internal sealed class ServiceWorld : IDisposable
{
    private readonly TempDir _dir = new();

    public ServiceWorld(IReadOnlyDictionary<string, string>? env = null)
    {
        Directory.CreateDirectory(Project);
        Env = new Dictionary<string, string>(env ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["SPECSYNTH_HOME"] = Home,
            ["HOME"] = _dir.Combine("user"),
        };
        SpecPath = _dir.Write("project/spec.md", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md")));
    }

    public Dictionary<string, string> Env { get; }

    public string Project => _dir.Combine("project");

    public string Home => _dir.Combine("home");

    public string Out => _dir.Combine("project", "out");

    public string SpecPath { get; }

    /// <summary>Writes a file under the project.</summary>
    public string Write(string relative, string content) => _dir.Write("project/" + relative, content);

    /// <summary>The CLI, in-process, in the project folder with this environment.</summary>
    public CliRunner Cli() => new(Project, Env);

    /// <summary>A container with <c>AddSpecSynth</c> (this environment, the project as working directory), the providers and
    /// Redis packages (as the CLI has them) and whatever <paramref name="host"/> registers first (e.g. an <c>IChatClient</c>).</summary>
    public ServiceProvider Services(Action<IServiceCollection>? host = null)
    {
        var services = new ServiceCollection();
        host?.Invoke(services);
        services.AddSpecSynthProviders();
        services.AddSpecSynthRedis();
        services.AddSpecSynth(configure: o =>
        {
            o.Environment = k => Env.TryGetValue(k, out var v) ? v : null;
            o.WorkingDirectory = Project;
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Every file under the output folder: relative path and bytes, sorted.</summary>
    public IReadOnlyList<(string Path, byte[] Bytes)> OutputFiles() => Directory.Exists(Out)
        ? [.. Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Out, f).Replace('\\', '/'), File.ReadAllBytes(f)))]
        : [];

    /// <summary>Forgets every run (output, state): the next run starts as the first did.</summary>
    public void Reset()
    {
        foreach (var dir in new[] { Out, Home })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
