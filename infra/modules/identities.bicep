// User-assigned identities: one for the functions app, one for the trainer job.
@description('Azure region.')
param location string

@description('Prefix for resource names.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

resource functionsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-functions-id'
  location: location
  tags: tags
}

resource trainerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-trainer-id'
  location: location
  tags: tags
}

output functionsIdentityId string = functionsIdentity.id
output functionsPrincipalId string = functionsIdentity.properties.principalId
output functionsClientId string = functionsIdentity.properties.clientId
output trainerIdentityId string = trainerIdentity.id
output trainerPrincipalId string = trainerIdentity.properties.principalId
output trainerClientId string = trainerIdentity.properties.clientId
