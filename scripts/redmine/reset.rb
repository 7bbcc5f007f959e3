# Delete every issue (with its journals, relations, attachments, ...) in the
# ticketkit test projects. Run by reset.sh via `bundle exec rails runner`.
identifiers = %w[demo ops]
project_ids = Project.where(identifier: identifiers).pluck(:id)
ids = Issue.where(project_id: project_ids).order(id: :desc).pluck(:id)
ActiveRecord::Base.transaction do
  # Highest ids first (subtasks usually have higher ids than their parents);
  # an issue may already be gone if it was a subtask of a destroyed one.
  ids.each { |id| Issue.find_by(id: id)&.destroy! }
end
left = Issue.where(project_id: project_ids).count
raise "#{left} issues left after reset" unless left.zero?
puts "TICKETKIT_DELETED=#{ids.size}"
