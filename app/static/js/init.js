// Start GOV.UK Frontend's components (character counts, error summary focus...).
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
