using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SpecSynth.Tests.Keys;

/// <summary>
/// A real redis-server for the tests: <c>SPECSYNTH_TEST_REDIS</c> (host:port, exported by CI) when set, else one started
/// here on 127.0.0.1:6392. Under <c>CI=true</c> a missing <c>SPECSYNTH_TEST_REDIS</c> fails the tests (never skips).
/// Tests that kill the server start their own on a free port.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private static readonly Lazy<RedisServer> SharedServer = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Process? process;

    private RedisServer(string address, Process? process)
    {
        Address = address;
        this.process = process;
    }

    /// <summary><c>host:port</c>.</summary>
    public string Address { get; }

    /// <summary>The server every test may share (use unique keys).</summary>
    public static RedisServer Shared => SharedServer.Value;

    /// <summary>Starts a private server on a free port (optionally with a password), waiting until it answers.</summary>
    public static RedisServer Start(string? password = null) => Start(FreePort(), password);

    /// <summary>Stops the server at once (SIGKILL): clients see the connection drop.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
    }

    private static RedisServer StartShared()
    {
        var fromCi = Environment.GetEnvironmentVariable("SPECSYNTH_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(fromCi))
        {
            return new RedisServer(fromCi.Trim(), null);
        }
        Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            "CI=true but SPECSYNTH_TEST_REDIS is not set: CI must provide the Redis these tests run against");
        if (Answers(6392))
        {
            return new RedisServer("127.0.0.1:6392", null); // one left by an earlier run of these tests
        }
        var server = Start(6392, null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    private static RedisServer Start(int port, string? password)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }
        if (password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(password);
        }
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server): the Redis tests need it", ex);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Answers(port))
        {
            Assert.False(process.HasExited, $"redis-server on port {port} exited at start");
            Assert.True(DateTime.UtcNow < deadline, $"redis-server on port {port} did not answer within 10 s");
            Thread.Sleep(20);
        }
        return new RedisServer($"127.0.0.1:{port}", process);
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[64];
            var read = stream.Read(buffer);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
