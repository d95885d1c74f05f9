using System.Diagnostics;
using System.Globalization;
using Infera.Bench.Hosting;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// nginx (the Debian package) as a reverse proxy configured for SSE: no response buffering, HTTP/1.1 keep-alive to
/// the upstream, the Connection header cleared. Its configuration and temporary files live in a folder of its own.
/// </summary>
internal static class NginxProxy
{
    /// <summary>Why nginx cannot be used here, or null when it can.</summary>
    public static string? Unavailable()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("nginx", "-v") { RedirectStandardError = true, UseShellExecute = false });
            probe!.WaitForExit(5000);
            return probe.ExitCode == 0 ? null : $"`nginx -v` exited with {probe.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "nginx is not installed (bench/run.sh installs it with `apt-get install -y nginx`; that failed or was skipped)";
        }
    }

    public static string Version()
    {
        using var probe = Process.Start(new ProcessStartInfo("nginx", "-v") { RedirectStandardError = true, UseShellExecute = false })!;
        var text = probe.StandardError.ReadToEnd().Trim();
        probe.WaitForExit(5000);
        return text.Replace("nginx version: ", string.Empty, StringComparison.Ordinal);
    }

    public static async Task<ServingPath> StartAsync(Uri backend, string workDirectory, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(workDirectory, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            // The workers run as an unprivileged user when nginx starts as root; they must be able to write here.
            var dir = Directory.CreateDirectory(Path.Combine(prefix, "temp", temp));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_111_111);
            }
        }

        var port = Loopback.FreePort();
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(prefix, port, backend), cancellationToken);
        var nginx = ChildProcess.Start("nginx", "nginx", ["-c", config, "-p", prefix, "-g", "daemon off;"], Path.Combine(workDirectory, "nginx.log"));
        var path = new ServingPath("B", "client → nginx → backend", new Uri($"http://127.0.0.1:{port}"), apiKey: null) { Nginx = nginx };
        try
        {
            using var http = new HttpClient();
            await Loopback.WaitUntilAsync(
                "nginx to proxy /v1/models",
                async ct => (await http.GetAsync(new Uri(path.BaseAddress, "/v1/models"), ct)).IsSuccessStatusCode,
                nginx,
                TimeSpan.FromSeconds(15),
                cancellationToken);
            return path;
        }
        catch
        {
            path.Dispose();
            throw;
        }
    }

    private static string Config(string prefix, int port, Uri backend) => string.Create(CultureInfo.InvariantCulture, $$"""
        worker_processes auto;
        pid {{prefix}}/nginx.pid;
        error_log {{prefix}}/logs/error.log warn;
        events {
            worker_connections 8192;
        }
        http {
            access_log off;
            client_body_temp_path {{prefix}}/temp/client_body;
            proxy_temp_path {{prefix}}/temp/proxy;
            fastcgi_temp_path {{prefix}}/temp/fastcgi;
            uwsgi_temp_path {{prefix}}/temp/uwsgi;
            scgi_temp_path {{prefix}}/temp/scgi;
            keepalive_requests 1000000;
            keepalive_timeout 300s;
            upstream backend {
                server {{backend.Host}}:{{backend.Port}};
                keepalive 1024;
                keepalive_requests 1000000;
                keepalive_timeout 300s;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://backend;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                    proxy_cache off;
                    proxy_read_timeout 300s;
                }
            }
        }
        """);
}
