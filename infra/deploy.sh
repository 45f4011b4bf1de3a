#!/usr/bin/env bash
# From an empty resource group to a classified scan, with no local Docker:
#   phase 1  identities, roles, registry, storage, messaging, monitoring (main.bicep with deployApps=false)
#   images   built in Azure from the repository's Dockerfiles (az acr build), pinned by digest
#   phase 2  the functions app and the trainer jobs on those digests, diagnostics and alerts (deployApps=true)
#   model    training data uploaded (--data) and the manual trainer job run until it finishes (--first-model)
#   scan     one scan uploaded to the scans container (--scan), and the functions app's readiness checked
# Every step can run again: deployments are incremental, image builds are tagged by the commit, uploads overwrite.
# Usage: infra/deploy.sh --resource-group RG --location REGION [--environment dev|prod] [--data DIR] [--first-model]
#                        [--scan FILE] [--tag TAG] [--operator-ip CIDR]...
# Needs: az (logged in, with the bicep and containerapp extensions), and, for --data/--scan, the Storage Blob Data
# Contributor role on the storage account for your own identity, and for prod (privacy on) Key Vault Secrets Officer on
# the vault, where the script creates the privacy key once. A private deployment (prod) closes the storage, registry
# and vault firewalls: run it inside the network, or let this machine through with --operator-ip. See docs/deploying.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
group=""
location=""
environment=dev
data=""
first_model=false
scan=""
tag=""
operator_ips=()
wait_seconds=${GLCMMAE_DEPLOY_WAIT_SECONDS:-14400}
poll_seconds=${GLCMMAE_DEPLOY_POLL_SECONDS:-30}

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}

while [ "$#" -gt 0 ]; do
    case "$1" in
        -g|--resource-group) group=${2:?}; shift 2 ;;
        -l|--location) location=${2:?}; shift 2 ;;
        -e|--environment) environment=${2:?}; shift 2 ;;
        --data) data=${2:?}; shift 2 ;;
        --first-model) first_model=true; shift ;;
        --scan) scan=${2:?}; shift 2 ;;
        --tag) tag=${2:?}; shift 2 ;;
        --operator-ip) operator_ips+=("${2:?}"); shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "deploy: unknown argument '$1'" >&2; usage ;;
    esac
done

if [ -z "$group" ] || [ -z "$location" ]; then
    echo "deploy: --resource-group and --location are required." >&2
    usage
fi
case "$environment" in dev|prod) ;; *) echo "deploy: --environment is dev or prod." >&2; exit 2 ;; esac
[ -z "$data" ] || [ -d "$data" ] || { echo "deploy: --data $data is not a folder." >&2; exit 2; }
[ -z "$scan" ] || [ -f "$scan" ] || { echo "deploy: --scan $scan is not a file." >&2; exit 2; }
command -v az >/dev/null 2>&1 || { echo "deploy: the Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli" >&2; exit 1; }

# Images are tagged with the commit, so a rerun of the same commit rebuilds nothing new and a new commit is a new tag.
if [ -z "$tag" ]; then
    tag=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)
fi

parameters="$root/infra/main.$environment.bicepparam"
template="$root/infra/main.bicep"
# Address ranges let through closed firewalls, as the JSON array the operatorIpRanges parameter takes.
ranges="[]"
if [ "${#operator_ips[@]}" -gt 0 ]; then
    ranges="[$(printf '"%s",' "${operator_ips[@]}")"
    ranges="${ranges%,}]"
fi
log() { echo "deploy: $*" >&2; }
output() { az deployment group show --resource-group "$group" --name glcmmae --query "properties.outputs.$1.value" --output tsv; }

log "resource group $group in $location"
az group create --name "$group" --location "$location" --output none

# Phase 1: everything the apps need, and nothing that pulls an image. Image parameters are placeholders here.
log "phase 1: identities, roles, registry, storage, messaging, monitoring"
az deployment group create --resource-group "$group" --name glcmmae --template-file "$template" \
    --parameters "$parameters" \
    --parameters deployApps=false functionsImageTag=unused trainerImageTag=unused "operatorIpRanges=$ranges" --output none
registry=$(output registryName)
storage=$(output storageAccountName)
vault=$(output vaultName)
if [ "$(output privacyMode)" = Pseudonymise ]; then
    # The privacy key is made here, once, and never passes through a template or a command line: the functions app
    # reads it from the vault. Creating it needs Key Vault Secrets Officer on the vault for your own identity.
    if ! az keyvault secret show --vault-name "$vault" --name privacy-key --query id --output tsv >/dev/null 2>&1; then
        command -v openssl >/dev/null 2>&1 || { log "privacy key: openssl is needed to make one"; exit 1; }
        log "privacy key: creating privacy-key in $vault"
        key_file=$(mktemp)
        openssl rand -base64 32 | tr -d '\n' > "$key_file"
        az keyvault secret set --vault-name "$vault" --name privacy-key --file "$key_file" --encoding utf-8 --output none \
            || { rm -f "$key_file"; log "privacy key: could not create it; grant yourself Key Vault Secrets Officer on $vault and run again"; exit 1; }
        rm -f "$key_file"
    fi
fi
if [ "$(output networkAccess)" = private ] && [ "${#operator_ips[@]}" -eq 0 ]; then
    log "private network access: storage and registry accept data-plane calls only from the virtual network and trusted"
    log "Azure services; outside it, the uploads below are refused. Rerun with --operator-ip <this machine's CIDR>."
fi

# Images built by the registry itself from the repository (no local Docker), then pinned by digest: a tag can move,
# a digest cannot, so phase 2 deploys exactly what was built.
digests=()
for image in functions trainer; do
    log "building glcmmae-$image:$tag in $registry"
    az acr build --registry "$registry" --image "glcmmae-$image:$tag" --file "$root/$image/Dockerfile" "$root" --output none
    digests+=("$(az acr repository show --name "$registry" --image "glcmmae-$image:$tag" --query digest --output tsv)")
done

log "phase 2: the functions app and trainer jobs on glcmmae-functions@${digests[0]} and glcmmae-trainer@${digests[1]}"
az deployment group create --resource-group "$group" --name glcmmae --template-file "$template" \
    --parameters "$parameters" \
    --parameters deployApps=true "functionsImageTag=glcmmae-functions@${digests[0]}" "trainerImageTag=glcmmae-trainer@${digests[1]}" \
    "operatorIpRanges=$ranges" --output none

if [ -n "$data" ]; then
    log "training data from $data to training/dataset"
    az storage blob upload-batch --auth-mode login --account-name "$storage" --destination training \
        --destination-path dataset --source "$data" --overwrite --output none
fi

if [ "$first_model" = true ]; then
    job=$(output trainerManualJobName)
    log "first model: starting $job"
    execution=$(az containerapp job start --resource-group "$group" --name "$job" --query name --output tsv)
    waited=0
    while :; do
        status=$(az containerapp job execution show --resource-group "$group" --name "$job" --job-execution-name "$execution" \
            --query properties.status --output tsv)
        case "$status" in
            Succeeded) log "first model: $execution succeeded"; break ;;
            Failed|Stopped|Degraded) log "first model: $execution ended $status; see the job's logs in Log Analytics."; exit 1 ;;
        esac
        if [ "$waited" -ge "$wait_seconds" ]; then
            log "first model: $execution still $status after ${wait_seconds} s; it keeps running, check it later."
            exit 1
        fi
        sleep "$poll_seconds"
        waited=$((waited + poll_seconds))
    done
fi

url=$(output functionsUrl)
if [ -n "$scan" ]; then
    # Named by the time, never by the file: scan file names often carry patient names.
    extension=""
    case "$(basename "$scan")" in *.*) extension=".${scan##*.}" ;; esac
    name="deploy-check/$(date -u +%Y%m%dT%H%M%SZ)$extension"
    log "first scan: uploading to scans/$name"
    az storage blob upload --auth-mode login --account-name "$storage" --container-name scans --name "$name" \
        --file "$scan" --overwrite --output none
    log "its result arrives on the scan-results topic (subscription all-results), or scan-errors if it is refused."
fi

case "$url" in
    *.internal.*)
        # Internal ingress (the default): the app answers only inside the Container Apps environment.
        log "the functions app has internal ingress ($url); its readiness probe runs inside the environment." ;;
    *)
        log "readiness: $url/api/health"
        curl --silent --show-error --max-time 60 "$url/api/health" >&2 || log "the functions app did not answer yet (a GPU replica can take minutes to start)." ;;
esac
echo "$url"
