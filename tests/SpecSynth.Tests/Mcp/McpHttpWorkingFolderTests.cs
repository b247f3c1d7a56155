using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using SpecSynth.Cli.Mcp;
using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Mcp;

/// <summary><c>specsynth mcp --http PORT</c> started in a project the user may not trust: the folder's <c>appsettings.json</c>
/// and the environment's <c>ASPNETCORE_*</c> / <c>Kestrel__*</c> variables must not configure the server (an extra Kestrel endpoint
/// would serve the tools, which read the project and spend the user's API keys, beyond 127.0.0.1:PORT), and the folder must not be
/// watched (a recursive inotify watch of every sub-folder).</summary>
public sealed partial class McpHttpWorkingFolderTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    [Fact]
    public async Task HttpServer_InAFolderWithAppsettingsAndKestrelVariables_ListensOnItsLoopbackPortOnly_AndWatchesNothing()
    {
        using var world = new ServiceWorld();
        var fromFile = FreePort();
        var fromEnvironmentFile = FreePort();
        var fromPrefixed = FreePort();
        var fromPlain = FreePort();
        world.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Extra": { "Url": "http://127.0.0.1:{{fromFile}}" } } } }""");
        world.Write("appsettings.Production.json", $$"""{ "Kestrel": { "Endpoints": { "Extra2": { "Url": "http://127.0.0.1:{{fromEnvironmentFile}}" } } } }""");
        for (var i = 0; i < 20; i++)
        {
            world.Write($"src/dir{i}/file.txt", "x");
        }
        var env = new Dictionary<string, string>(world.Env, StringComparer.Ordinal)
        {
            ["ASPNETCORE_Kestrel__Endpoints__Prefixed__Url"] = $"http://127.0.0.1:{fromPrefixed}",
            ["Kestrel__Endpoints__Plain__Url"] = $"http://127.0.0.1:{fromPlain}",
        };

        using var server = StartServer(world.Project, env);
        var endpoint = await server.EndpointAsync();
        using var http = new HttpClient();
        using var served = await http.SendAsync(Post(endpoint, Initialize));
        var watches = InotifyWatches(server.Process.Id);

        var extra = new List<string>();
        foreach (var (port, source) in new[] { (fromFile, "appsettings.json"), (fromEnvironmentFile, "appsettings.Production.json"),
            (fromPrefixed, "ASPNETCORE_Kestrel__Endpoints__*"), (fromPlain, "Kestrel__Endpoints__*") })
        {
            if (await ListensAsync(port))
            {
                extra.Add($"127.0.0.1:{port} from {source}");
            }
        }

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.True(extra.Count == 0, "the server also listens on " + string.Join(", ", extra));
        // Linux: the inotify watches the server holds (none; not one per sub-folder of the working folder).
        Assert.True(watches is null or 0, $"the server holds {watches} inotify watches");
    }

    [Fact]
    public async Task Build_TheHostsConfiguration_ReadsNoFileAndNoEnvironmentVariable()
    {
        using var world = new ServiceWorld();
        var server = new SpecSynthMcpServer(world.Project, k => world.Env.TryGetValue(k, out var v) ? v : null, TimeProvider.System, TextWriter.Null);

        var app = McpHttpHost.Build(server, 0, null);
        await using (app)
        {
            var sources = Sources((IConfigurationRoot)app.Configuration).ToList();

            Assert.DoesNotContain(sources, p => p is FileConfigurationProvider or EnvironmentVariablesConfigurationProvider);
        }
    }

    /// <summary>The configuration's providers, those of chained configurations included.</summary>
    private static IEnumerable<IConfigurationProvider> Sources(IConfigurationRoot root) =>
        root.Providers.SelectMany(p => p is ChainedConfigurationProvider { Configuration: IConfigurationRoot chained } ? Sources(chained).Prepend(p) : [p]);

    private static Running StartServer(string folder, IReadOnlyDictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CliProcess.Dll, "mcp", "--http", "0" })
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        return new Running(Process.Start(psi)!);
    }

    /// <summary>A port nothing listens on at this moment.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The inotify watches of process <paramref name="pid"/> (lines <c>inotify wd:</c> of its <c>/proc/PID/fdinfo</c>), or
    /// <c>null</c> where there is no such file system.</summary>
    private static int? InotifyWatches(int pid)
    {
        var fdinfo = $"/proc/{pid}/fdinfo";
        if (!Directory.Exists(fdinfo))
        {
            return null;
        }
        var watches = 0;
        foreach (var file in Directory.EnumerateFiles(fdinfo))
        {
            try
            {
                watches += File.ReadLines(file).Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                // The descriptor closed meanwhile.
            }
        }
        return watches;
    }

    private static HttpRequestMessage Post(Uri endpoint, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Accept", "application/json, text/event-stream");
        return request;
    }

    [GeneratedRegex(@"at (http://127\.0\.0\.1:\d+/mcp)")]
    private static partial Regex Address();

    /// <summary>The server's child process; its standard error is collected line by line, to read where it listens.</summary>
    private sealed class Running : IDisposable
    {
        private readonly StringBuilder _stderr = new();

        public Running(Process process)
        {
            Process = process;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            _ = process.StandardOutput.ReadToEndAsync();
        }

        public Process Process { get; }

        private string Stderr
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        public async Task<Uri> EndpointAsync()
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(20))
            {
                if (Address().Match(Stderr) is { Success: true } match)
                {
                    return new Uri(match.Groups[1].Value);
                }
                Assert.False(Process.HasExited, "the server ended: " + Stderr);
            }
            Assert.Fail("the server never said where it listens: " + Stderr);
            return null!;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
            Process.Dispose();
        }
    }
}
