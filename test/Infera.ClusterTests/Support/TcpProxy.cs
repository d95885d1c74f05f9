using System.Net;
using System.Net.Sockets;

namespace Infera.ClusterTests.Support;

/// <summary>
/// A loopback TCP forwarder in front of a server, so a test can take the network away from a client and give it back:
/// <see cref="Cut"/> closes every connection through it and closes new ones as soon as they arrive, as a server that
/// went down would; <see cref="Restore"/> forwards again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _life = new();
    private readonly HashSet<Socket> _open = [];
    private readonly Task _accepting;
    private bool _cut;
    private int _accepted;

    private TcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients dial instead of the server's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many client connections it has forwarded so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static TcpProxy Start(string targetHost, int targetPort) => new(targetHost, targetPort);

    /// <summary>A proxy in front of the tests' RabbitMQ; <see cref="RabbitMqUri"/> reaches the broker through it.</summary>
    public static TcpProxy InFrontOfRabbitMq()
    {
        var broker = new Uri(ClusterServices.RabbitMq);
        return Start(broker.Host, broker.Port);
    }

    /// <summary>The tests' RabbitMQ URI, through this proxy.</summary>
    public string RabbitMqUri => new UriBuilder(ClusterServices.RabbitMq) { Host = "127.0.0.1", Port = Port }.Uri.ToString();

    /// <summary>Closes every connection through the proxy, and every new one on arrival, until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        List<Socket> open;
        lock (_open)
        {
            _cut = true;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var socket in open)
        {
            Abort(socket);
        }
    }

    /// <summary>Forwards new connections again.</summary>
    public void Restore()
    {
        lock (_open)
        {
            _cut = false;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_life.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_life.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        if (!Track(client, server))
        {
            Abort(client);
            Abort(server);
            return;
        }

        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _life.Token);
            Interlocked.Increment(ref _accepted);
            // Whichever side ends first ends the pair, as one TCP path between them would.
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the server is down, or the proxy was cut or disposed
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            Abort(client);
            Abort(server);
        }
    }

    private bool Track(Socket client, Socket server)
    {
        lock (_open)
        {
            if (_cut)
            {
                return false;
            }

            _open.Add(client);
            _open.Add(server);
            return true;
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _life.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _life.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the other pump or Cut closed the pair
        }
    }

    /// <summary>Resets the connection (RST, not FIN): the peer learns at once that the path is gone.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // not connected, or closed already
        }

        socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _life.Dispose();
    }
}
