# The node agent a GPU owner runs next to their inference backend. Build from the repository root:
#   docker build -f deploy/docker/node.Dockerfile -t infera-node .
# Run (the volume keeps the key file, which is the node's identity):
#   docker run -d -v infera-node:/var/lib/infera-node --add-host=host.docker.internal:host-gateway infera-node \
#     run --silo wss://agents.example.com --backend ollama --backend-url http://host.docker.internal:11434 \
#     --model llama3.2:1b --key-file /var/lib/infera-node/node.key

# Only the project files, so the restore layer below is reused until a project file or a package version changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json nuget.config Directory.*.props .editorconfig ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/NodeAgent/Infera.NodeAgent.csproj
COPY src/ src/
RUN dotnet publish src/NodeAgent/Infera.NodeAgent.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# aspnet, not runtime: Infera.NodeAgent.csproj references the Microsoft.AspNetCore.App shared framework (for its
# logging), which the plain runtime image lacks; the agent still listens on nothing.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# A named volume mounted here starts with this owner, so the non-root agent can create its key file (mode 0600).
RUN mkdir -p /var/lib/infera-node && chown "$APP_UID" /var/lib/infera-node
VOLUME /var/lib/infera-node
USER $APP_UID
ENTRYPOINT ["dotnet", "infera-node.dll"]
