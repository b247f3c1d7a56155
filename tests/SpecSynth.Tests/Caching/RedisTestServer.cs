using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SpecSynth.Tests.Caching;

/// <summary>
/// Redis for tests. The shared server comes from <c>SPECSYNTH_TEST_REDIS</c> (host:port; <c>.ci/run</c> starts one and
/// exports it). When it is missing, tests FAIL under <c>CI=true</c> and return early (a no-op) otherwise, so a developer
/// without Redis can still run the suite. <see cref="StartPrivateAsync"/> runs a throw-away <c>redis-server</c> a test
/// may kill (same rule when the binary is missing).
/// </summary>
internal sealed class RedisTestServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisTestServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The shared server's "host:port", or <c>null</c> (outside CI) when none is configured.</summary>
    public static string? Shared()
    {
        if (Environment.GetEnvironmentVariable("SPECSYNTH_TEST_REDIS") is { Length: > 0 } address)
        {
            return address;
        }
        Missing("SPECSYNTH_TEST_REDIS is not set; .ci/run starts redis-server and exports SPECSYNTH_TEST_REDIS=127.0.0.1:6379");
        return null;
    }

    /// <summary>Starts a private redis-server on a free port (optionally with a password), or returns <c>null</c> outside CI
    /// when redis-server is not installed.</summary>
    public static async Task<RedisTestServer?> StartPrivateAsync(string? password = null)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            Missing("redis-server is not installed; .ci/run installs it (apt-get install redis-server)");
            return null;
        }
        var port = FreePort();
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            psi.ArgumentList.Add(arg);
        }
        if (password is not null)
        {
            psi.ArgumentList.Add("--requirepass");
            psi.ArgumentList.Add(password);
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new RedisTestServer(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new InvalidOperationException($"redis-server did not start on port {port}");
    }

    /// <summary>A port nothing listens on.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the server (as a crash would).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static void Missing(string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(why + " (CI=true: Redis tests must run in CI).");
        }
    }
}
