import { type BackendChoice, parseBackendChoice } from '@lipkit/train-cli';

const choice: BackendChoice = parseBackendChoice('cpu');
console.log(choice);
