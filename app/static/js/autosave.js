// Autosave for a domain page: each change to a benchmark's answer is saved in
// the background. Progressive enhancement only: without this file the page's
// buttons save everything. Saves for one benchmark are sent one at a time so
// each carries the version the previous one returned.

const DEBOUNCE_MS = 1200

function statusArea () {
  return document.getElementById('autosave-status')
}

function say (message, isError) {
  const area = statusArea()
  if (!area) return
  area.textContent = message
  area.classList.toggle('govuk-error-message', Boolean(isError))
}

function sayWithLink (message, href, linkText) {
  const area = statusArea()
  if (!area) return
  area.textContent = message + ' '
  const link = document.createElement('a')
  link.className = 'govuk-link'
  link.href = href
  link.textContent = linkText
  area.appendChild(link)
  area.classList.add('govuk-error-message')
}

function collect (block) {
  const checked = block.querySelector('input[type=radio]:checked')
  const evidence = block.querySelector('textarea')
  const noEvidence = block.querySelector('input[type=checkbox]')
  return {
    benchmark_id: block.dataset.benchmarkId,
    rating: checked ? checked.value : null,
    evidence: evidence ? evidence.value : '',
    no_evidence_yet: noEvidence ? noEvidence.checked : false,
    version: parseInt(block.querySelector('[data-version]').value, 10)
  }
}

function showConflict (block, current, message) {
  let note = block.querySelector('[data-conflict]')
  if (!note) {
    note = document.createElement('div')
    note.className = 'govuk-warning-text'
    note.setAttribute('data-conflict', '')
    block.insertBefore(note, block.children[1])
  }
  note.textContent = ''
  const text = document.createElement('strong')
  text.className = 'govuk-warning-text__text'
  text.textContent = message + ' Saved version' +
    (current.changed_by ? ' (by ' + current.changed_by + ' at ' + current.changed_at + ')' : '') +
    ': rating ‘' + (current.rating || 'none') + '’, evidence ‘' + (current.evidence || 'none') + '’. ' +
    'Your version is still in the form: change anything to save it over the saved one.'
  note.appendChild(text)
}

function setup (form) {
  const url = form.dataset.autosaveUrl
  const tokenInput = form.querySelector('input[name=csrf_token]')
  const queues = new Map()

  async function send (block) {
    const payload = collect(block)
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': tokenInput.value
      },
      body: JSON.stringify(payload)
    })
    let body = {}
    try { body = await response.json() } catch (e) { body = {} }
    if (body.csrf_token) tokenInput.value = body.csrf_token
    if (response.ok && body.saved) {
      block.querySelector('[data-version]').value = body.version
      const last = block.querySelector('[data-last-changed]')
      if (last && body.last_changed) last.textContent = body.last_changed
      const note = block.querySelector('[data-conflict]')
      if (note) note.remove()
      say('Saved at ' + body.saved_time)
    } else if (response.status === 409 && body.current) {
      block.querySelector('[data-version]').value = body.current.version
      showConflict(block, body.current, body.error)
      say(body.error, true)
    } else if (response.status === 401) {
      sayWithLink(body.error || 'You have been signed out. What you typed is kept.', body.sign_in_url || '/sign-in', 'Sign in again')
    } else {
      say((body.error || 'Your latest change could not be saved in the background.') + ' Use the Save buttons to save your answers.', true)
    }
  }

  function schedule (block, delay) {
    const id = block.dataset.benchmarkId
    const state = queues.get(id) || { timer: null, chain: Promise.resolve() }
    clearTimeout(state.timer)
    state.timer = setTimeout(() => {
      state.chain = state.chain.then(() => send(block)).catch(() => {
        say('Your latest change could not be saved in the background. Use the Save buttons to save your answers.', true)
      })
    }, delay)
    queues.set(id, state)
  }

  form.querySelectorAll('[data-benchmark-id]').forEach((block) => {
    block.addEventListener('change', () => schedule(block, 0))
    block.addEventListener('input', (event) => {
      if (event.target.tagName === 'TEXTAREA') schedule(block, DEBOUNCE_MS)
    })
  })
}

document.querySelectorAll('form[data-module="app-autosave"]').forEach(setup)
