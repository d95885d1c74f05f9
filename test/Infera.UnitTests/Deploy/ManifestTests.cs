using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace Infera.UnitTests.Deploy;

/// <summary>The Kubernetes manifests under k8s/ and the Dockerfiles under deploy/docker/, checked against each other and the code.</summary>
public sealed class ManifestTests
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string K8s = Path.Combine(Root, "k8s");
    private static readonly IReadOnlyList<K8sObject> Objects = LoadObjects();

    private static readonly string[] Deployments = ["gateway", "silo"];

    // (Deployment, the setting that names a replica)
    private static readonly object[] ReplicaIds =
    [
        new object[] { "gateway", "Infera__Gateway__GatewayId" },
        new object[] { "silo", "Infera__Silo__SiloId" },
    ];

    // (Deployment, the Dockerfile that builds its image)
    private static readonly object[] DeploymentImages =
    [
        new object[] { "gateway", "gateway.Dockerfile" },
        new object[] { "silo", "silo.Dockerfile" },
    ];

    // (Dockerfile, host project, assembly the entry point runs)
    private static readonly object[] Dockerfiles =
    [
        new object[] { "gateway.Dockerfile", "src/GatewayHost/Infera.GatewayHost.csproj", "infera-gateway" },
        new object[] { "silo.Dockerfile", "src/SiloHost/Infera.SiloHost.csproj", "infera-silo" },
        new object[] { "node.Dockerfile", "src/NodeAgent/Infera.NodeAgent.csproj", "infera-node" },
    ];

    [Test]
    public void Every_object_names_its_kind_and_lives_in_the_infera_namespace()
    {
        Assert.That(Objects, Is.Not.Empty, $"no objects under {K8s}");
        using (Assert.EnterMultipleScope())
        {
            foreach (var o in Objects)
            {
                Assert.That(o.Node.Text("apiVersion"), Is.Not.Null.And.Not.Empty, $"{o}: apiVersion");
                Assert.That(o.Name, Is.Not.Empty, $"{o}: metadata.name");
                var expected = o.Kind == "Namespace" ? null : "infera";
                Assert.That(o.Node.Text("metadata.namespace"), Is.EqualTo(expected), $"{o}: metadata.namespace");
            }
        }
    }

    [Test]
    public void Kustomization_lists_every_manifest_except_the_secret_template_and_every_image()
    {
        var kustomization = LoadYaml(Path.Combine(K8s, "kustomization.yaml")).Single();
        var listed = kustomization.Items("resources").Select(r => ((YamlScalarNode)r).Value).ToList();
        var files = Directory.GetFiles(K8s, "*.yaml").Select(f => Path.GetFileName(f))
            .Where(f => f is not "kustomization.yaml" and not "secret.example.yaml");
        var images = kustomization.Items("images").Select(i => i.Text("name")).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(listed, Is.EquivalentTo(files));
            Assert.That(listed, Is.Unique);
            Assert.That(listed, Does.Not.Contain("secret.example.yaml"), "the real Secret is created by hand, never applied from the repo");
            Assert.That(kustomization.Text("namespace"), Is.EqualTo("infera"));
            Assert.That(Containers().Select(c => c.Container.Text("image")), Is.SubsetOf(images), "images the kustomization can retag");
        }
    }

    [Test]
    public void Every_deployment_is_checked_below()
    {
        var names = Objects.Where(o => o.Kind == "Deployment").Select(o => o.Name);
        Assert.That(names, Is.EquivalentTo(Deployments));
    }

    [TestCaseSource(nameof(Deployments))]
    public void Deployment_runs_replicated_and_rolls_out_without_losing_capacity(string name)
    {
        var deployment = Find("Deployment", name).Node;
        var podLabels = deployment.Map("spec.template.metadata.labels");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Int(deployment, "spec.replicas"), Is.GreaterThanOrEqualTo(2), "spec.replicas");
            Assert.That(deployment.Text("spec.strategy.rollingUpdate.maxUnavailable"), Is.EqualTo("0"), "maxUnavailable");
            Assert.That(deployment.Map("spec.selector.matchLabels"), Is.SubsetOf(podLabels), "selector matches the pod template");
            Assert.That(deployment.Get("spec.template.spec.topologySpreadConstraints") ?? deployment.Get("spec.template.spec.affinity.podAntiAffinity"),
                Is.Not.Null, "spread across nodes");
        }
    }

    [TestCaseSource(nameof(Deployments))]
    public void Deployment_probes_readyz_and_healthz_on_its_container_port(string name)
    {
        var container = Containers().Single(c => c.Deployment.Name == name).Container;
        var port = ContainerPort(container);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Text("readinessProbe.httpGet.path"), Is.EqualTo("/readyz"));
            Assert.That(container.Text("livenessProbe.httpGet.path"), Is.EqualTo("/healthz"));
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Where(p => container.Get(p) is not null))
            {
                Assert.That(ResolvePort(container, container.Text($"{probe}.httpGet.port")), Is.EqualTo(port), $"{probe} port");
            }

            Assert.That(Env(container).GetValueOrDefault("ASPNETCORE_URLS").Text("value"), Is.EqualTo($"http://0.0.0.0:{port}"), "the app listens where the probes look");
        }
    }

    [TestCaseSource(nameof(Deployments))]
    public void Deployment_outlives_the_drain_timeout_when_stopped(string name)
    {
        var deployment = Find("Deployment", name).Node;
        var container = Containers().Single(c => c.Deployment.Name == name).Container;
        var drain = TimeSpan.Parse(Find("ConfigMap", "infera-config").Node.Map("data")["Infera__Cluster__DrainTimeout"], CultureInfo.InvariantCulture);
        var preStop = container.Items("lifecycle.preStop.exec.command").Select(c => ((YamlScalarNode)c).Value).ToList();
        var pause = preStop is ["sleep", var seconds] ? TimeSpan.FromSeconds(int.Parse(seconds!, CultureInfo.InvariantCulture)) : TimeSpan.Zero;

        Assert.That(TimeSpan.FromSeconds(Int(deployment, "spec.template.spec.terminationGracePeriodSeconds")), Is.GreaterThan(drain + pause));
    }

    [TestCaseSource(nameof(Deployments))]
    public void Deployment_has_a_disruption_budget_and_an_autoscaler(string name)
    {
        var podLabels = Find("Deployment", name).Node.Map("spec.template.metadata.labels");
        var budgets = Objects.Where(o => o.Kind == "PodDisruptionBudget" && Selects(o.Node.Map("spec.selector.matchLabels"), podLabels)).ToList();
        var autoscalers = Objects.Where(o => o.Kind == "HorizontalPodAutoscaler"
            && o.Node.Text("spec.scaleTargetRef.kind") == "Deployment"
            && o.Node.Text("spec.scaleTargetRef.name") == name).ToList();

        Assert.That(budgets, Has.Count.EqualTo(1), "PodDisruptionBudgets selecting its pods");
        Assert.That(autoscalers, Has.Count.EqualTo(1), "HorizontalPodAutoscalers targeting it");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Int(budgets[0].Node, "spec.minAvailable"), Is.GreaterThanOrEqualTo(1));
            Assert.That(autoscalers[0].Node.Text("apiVersion"), Is.EqualTo("autoscaling/v2"));
            Assert.That(Int(autoscalers[0].Node, "spec.minReplicas"), Is.GreaterThanOrEqualTo(2));
            Assert.That(Int(autoscalers[0].Node, "spec.maxReplicas"), Is.GreaterThan(Int(autoscalers[0].Node, "spec.minReplicas")));
        }
    }

    [TestCaseSource(nameof(Deployments))]
    public void Deployment_runs_as_non_root_on_a_read_only_root_with_a_writable_tmp(string name)
    {
        var pod = Find("Deployment", name).Node.Get("spec.template.spec");
        var container = Containers().Single(c => c.Deployment.Name == name).Container;
        var tmp = container.Items("volumeMounts").SingleOrDefault(m => m.Text("mountPath") == "/tmp");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pod.Text("securityContext.runAsNonRoot") ?? container.Text("securityContext.runAsNonRoot"), Is.EqualTo("true"));
            Assert.That(container.Text("securityContext.readOnlyRootFilesystem"), Is.EqualTo("true"));
            Assert.That(tmp, Is.Not.Null, "/tmp mounted");
            var volume = pod.Items("volumes").SingleOrDefault(v => v.Text("name") == tmp?.Text("name"));
            Assert.That(volume?.Get("emptyDir"), Is.Not.Null, "/tmp is an emptyDir");
        }
    }

    [TestCaseSource(nameof(ReplicaIds))]
    public void Deployment_names_each_replica_after_its_pod(string name, string idSetting)
    {
        var env = Env(Containers().Single(c => c.Deployment.Name == name).Container);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(env.GetValueOrDefault(idSetting).Text("valueFrom.fieldRef.fieldPath"), Is.EqualTo("metadata.name"), idSetting);
            Assert.That(env.GetValueOrDefault("POD_IP").Text("valueFrom.fieldRef.fieldPath"), Is.EqualTo("status.podIP"), "POD_IP");
            foreach (var secret in new[] { "Infera__Postgres__ConnectionString", "Infera__RabbitMq__Uri" })
            {
                Assert.That(env.GetValueOrDefault(secret).Get("valueFrom.secretKeyRef"), Is.Not.Null, $"{secret} comes from the Secret");
            }
        }
    }

    [Test]
    public void Every_setting_taken_from_a_secret_or_configmap_exists_there()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var (deployment, container) in Containers())
            {
                foreach (var (variable, entry) in Env(container))
                {
                    foreach (var (refKind, kind) in new[] { ("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap") })
                    {
                        if (entry.Get($"valueFrom.{refKind}") is not { } reference)
                        {
                            continue;
                        }

                        var source = Objects.SingleOrDefault(o => o.Kind == kind && o.Name == reference.Text("name"));
                        Assert.That(source, Is.Not.Null, $"{deployment.Name}: {variable} names {kind} '{reference.Text("name")}'");
                        var keys = source?.Node.Map("data").Keys.Concat(source.Node.Map("stringData").Keys);
                        Assert.That(keys, Does.Contain(reference.Text("key")), $"{deployment.Name}: {variable} names a key of {kind} '{source?.Name}'");
                    }
                }

                foreach (var from in container.Items("envFrom"))
                {
                    var secret = from.Get("secretRef");
                    var kind = secret is null ? "ConfigMap" : "Secret";
                    var reference = secret ?? from.Get("configMapRef");
                    Assert.That(Objects.Any(o => o.Kind == kind && o.Name == reference.Text("name")), Is.True, $"{deployment.Name}: envFrom {kind} '{reference.Text("name")}'");
                }
            }
        }
    }

    [Test]
    public void Every_service_selects_a_deployments_pods_and_targets_its_container_port()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var service in Objects.Where(o => o.Kind == "Service"))
            {
                var selector = service.Node.Map("spec.selector");
                var targets = Containers().Where(c => Selects(selector, c.Deployment.Node.Map("spec.template.metadata.labels"))).ToList();
                Assert.That(targets, Has.Count.EqualTo(1), $"{service}: deployments whose pods it selects");
                foreach (var port in service.Node.Items("spec.ports").Where(_ => targets.Count == 1))
                {
                    Assert.That(ResolvePort(targets[0].Container, port.Text("targetPort") ?? port.Text("port")), Is.Not.Null, $"{service}: port {port.Text("name")}");
                }
            }

            foreach (var ingress in Objects.Where(o => o.Kind == "Ingress"))
            {
                var paths = ingress.Node.Items("spec.rules").SelectMany(r => r.Items("http.paths")).ToList();
                Assert.That(paths.Select(p => p.Text("path")), Has.All.StartWith("/v1"), $"{ingress}: only the API is public, not /metrics or the probes");
                foreach (var backend in paths.Select(p => p.Get("backend.service")))
                {
                    var service = Objects.SingleOrDefault(o => o.Kind == "Service" && o.Name == backend.Text("name"));
                    var ports = service?.Node.Items("spec.ports").SelectMany(p => new[] { p.Text("name"), p.Text("port") }) ?? Enumerable.Empty<string?>();
                    Assert.That(ports, Does.Contain(backend.Text("port.name") ?? backend.Text("port.number")), $"{ingress}: backend {backend.Text("name")}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Dockerfiles))]
    public void Dockerfile_publishes_its_host_project_and_runs_it_as_non_root(string file, string project, string assembly)
    {
        var lines = DockerInstructions(file);
        var stages = lines.Where(l => l.Op == "FROM").Select(l => l.Args.Split(' ')[0]).ToList();
        var copied = lines.Where(l => l.Op == "COPY" && !l.Args.StartsWith("--from", StringComparison.Ordinal)).SelectMany(l => l.Args.Split(' ')).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stages.SkipLast(1), Has.All.EqualTo("mcr.microsoft.com/dotnet/sdk:10.0"), "build stages");
            Assert.That(stages[^1], Is.AnyOf("mcr.microsoft.com/dotnet/aspnet:10.0", "mcr.microsoft.com/dotnet/runtime:10.0"), "runtime stage");
            Assert.That(ProjectIn(lines, "dotnet restore"), Is.EqualTo(project), "restored project");
            Assert.That(ProjectIn(lines, "dotnet publish"), Is.EqualTo(project), "published project");
            Assert.That(lines.Single(l => l.Args.Contains("dotnet publish", StringComparison.Ordinal)).Args, Does.Contain("-c Release").And.Contain("-o /app"));
            Assert.That(copied, Is.SupersetOf(new[] { "global.json", "nuget.config", "Directory.*.props", ".editorconfig", "src/" }), "build inputs copied");
            Assert.That(lines.Last(l => l.Op == "USER").Args, Is.AnyOf("$APP_UID", "app"));
            Assert.That(JsonSerializer.Deserialize<string[]>(lines.Single(l => l.Op == "ENTRYPOINT").Args), Is.EqualTo(new[] { "dotnet", $"{assembly}.dll" }));
        }
    }

    [TestCaseSource(nameof(DeploymentImages))]
    public void Dockerfile_exposes_the_port_its_deployment_uses(string name, string dockerfile)
    {
        var port = ContainerPort(Containers().Single(c => c.Deployment.Name == name).Container);
        var lines = DockerInstructions(dockerfile);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines.Single(l => l.Op == "EXPOSE").Args, Is.EqualTo(port.ToString(CultureInfo.InvariantCulture)));
            Assert.That(lines.Single(l => l.Op == "ENV").Args, Is.EqualTo($"ASPNETCORE_URLS=http://0.0.0.0:{port}"));
        }
    }

    [TestCaseSource(nameof(Dockerfiles))]
    public void Dockerfile_runs_the_projects_assembly_on_an_image_with_its_shared_frameworks(string file, string project, string assembly)
    {
        var path = Path.Combine(Root, project);
        Assert.That(path, Does.Exist, $"{file} builds {project}, which does not exist");

        var runtime = DockerInstructions(file).Last(l => l.Op == "FROM").Args;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(XDocument.Load(path).Descendants("AssemblyName").SingleOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(path), Is.EqualTo(assembly));
            if (NeedsAspNetCore(path, []))
            {
                Assert.That(runtime, Does.StartWith("mcr.microsoft.com/dotnet/aspnet:"), $"{project} (or a project it references) uses Microsoft.AspNetCore.App");
            }
        }
    }

    [Test]
    public void Docker_build_context_leaves_out_build_outputs_and_git()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToList();
        Assert.That(ignored, Is.SupersetOf(new[] { ".git", "**/bin", "**/obj", "**/TestResults", ".data" }));
    }

    private sealed record K8sObject(string File, YamlMappingNode Node)
    {
        public string Kind => Node.Text("kind") ?? "";

        public string Name => Node.Text("metadata.name") ?? "";

        public override string ToString() => $"{Kind} {Name} ({File})";
    }

    private sealed record DockerInstruction(string Op, string Args);

    private static IEnumerable<(K8sObject Deployment, YamlNode Container)> Containers() =>
        Objects.Where(o => o.Kind == "Deployment").SelectMany(d => d.Node.Items("spec.template.spec.containers").Select(c => (d, c)));

    private static K8sObject Find(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name) ?? throw new AssertionException($"no {kind} named {name} under {K8s}");

    private static Dictionary<string, YamlNode> Env(YamlNode container) =>
        container.Items("env").ToDictionary(e => e.Text("name")!, e => e, StringComparer.Ordinal);

    private static int ContainerPort(YamlNode container) => Int(container.Items("ports").Single(), "containerPort");

    /// <summary>The container port a probe or Service names, by number or by name; null if the container has no such port.</summary>
    private static int? ResolvePort(YamlNode container, string? port) =>
        container.Items("ports").Where(p => p.Text("name") == port || p.Text("containerPort") == port).Select(p => (int?)Int(p, "containerPort")).SingleOrDefault();

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(l => labels.TryGetValue(l.Key, out var value) && value == l.Value);

    private static int Int(YamlNode? node, string path) =>
        int.Parse(node.Text(path) ?? throw new AssertionException($"{path} is missing"), CultureInfo.InvariantCulture);

    private static string? ProjectIn(IEnumerable<DockerInstruction> lines, string command) =>
        lines.Where(l => l.Op == "RUN" && l.Args.Contains(command, StringComparison.Ordinal))
            .SelectMany(l => l.Args.Split(' ')).SingleOrDefault(t => t.EndsWith(".csproj", StringComparison.Ordinal));

    private static bool NeedsAspNetCore(string project, HashSet<string> seen)
    {
        if (!seen.Add(Path.GetFullPath(project)))
        {
            return false;
        }

        var xml = XDocument.Load(project);
        return xml.Descendants("FrameworkReference").Any(f => (string?)f.Attribute("Include") == "Microsoft.AspNetCore.App")
            || ((string?)xml.Root?.Attribute("Sdk"))?.StartsWith("Microsoft.NET.Sdk.Web", StringComparison.Ordinal) == true
            || xml.Descendants("ProjectReference").Any(r => NeedsAspNetCore(
                Path.Combine(Path.GetDirectoryName(project)!, ((string)r.Attribute("Include")!).Replace('\\', '/')), seen));
    }

    /// <summary>A Dockerfile's instructions with continuation lines joined and comments dropped.</summary>
    private static List<DockerInstruction> DockerInstructions(string file)
    {
        var text = File.ReadAllText(Path.Combine(Root, "deploy", "docker", file)).Replace("\\\n", " ", StringComparison.Ordinal);
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)).Select(p => new DockerInstruction(p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : "")).ToList();
    }

    private static List<K8sObject> LoadObjects() =>
        Directory.GetFiles(K8s, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => LoadYaml(f).Select(n => new K8sObject(Path.GetFileName(f), n))).ToList();

    private static IEnumerable<YamlMappingNode> LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode as YamlMappingNode ?? throw new AssertionException($"{path}: a document that is not a mapping"));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infera.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Infera.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}

/// <summary>Dotted-path reads over YamlDotNet's node tree; a missing step gives null or empty, never an exception.</summary>
internal static class YamlPaths
{
    public static YamlNode? Get(this YamlNode? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(this YamlNode? node, string path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node, string path) => node.Get(path) as YamlSequenceNode ?? Enumerable.Empty<YamlNode>();

    public static IReadOnlyDictionary<string, string> Map(this YamlNode? node, string path) =>
        (node.Get(path) as YamlMappingNode)?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (c.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);
}
