using 'main.bicep'

// Defaults for a first deployment; copy to dev/prod files to change them.
param namePrefix = 'glcmmae'
param environmentName = 'dev'
param functionsImageTag = 'glcmmae-functions:latest'
param trainerImageTag = 'glcmmae-trainer:latest'
