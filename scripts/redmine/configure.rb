# Idempotent configuration of the ticketkit test Redmine.
# Run by start.sh via `bundle exec rails runner` as www-data (one invocation).
# Prints "TICKETKIT_ADMIN_API_KEY=..." and "TICKETKIT_USER_API_KEY=..." on stdout.

admin_password = ENV.fetch('TICKETKIT_ADMIN_PASSWORD')
user_password  = ENV.fetch('TICKETKIT_USER_PASSWORD')

ActiveRecord::Base.transaction do
  # --- settings -------------------------------------------------------------
  Setting.rest_api_enabled = '1' unless Setting.rest_api_enabled?
  Setting.login_required = '1' unless Setting.login_required?
  # No mail server here: do not try to send notifications.
  Setting.notified_events = [] unless Setting.notified_events.empty?

  # --- admin ----------------------------------------------------------------
  admin = User.find_by_login('admin') or raise 'admin user missing'
  unless admin.check_password?(admin_password)
    admin.password = admin_password
    admin.password_confirmation = admin_password
  end
  admin.must_change_passwd = false
  admin.status = User::STATUS_ACTIVE
  admin.mail_notification = 'none'
  admin.save! if admin.changed?

  # --- projects -------------------------------------------------------------
  ensure_project = lambda do |identifier, name, is_public|
    p = Project.find_by(identifier: identifier) || Project.new(identifier: identifier)
    p.name = name
    p.is_public = is_public
    p.status = Project::STATUS_ACTIVE if p.respond_to?(:status=)
    p.save! if p.new_record? || p.changed?
    p.trackers = Tracker.all.to_a if p.tracker_ids.sort != Tracker.pluck(:id).sort
    unless p.enabled_module_names.include?('issue_tracking')
      p.enabled_module_names = p.enabled_module_names | ['issue_tracking']
    end
    p
  end
  demo = ensure_project.call('demo', 'Demo', true)
  ensure_project.call('ops', 'Ops', false)

  # --- reporter role: may view issues and add notes, NOT see private notes -
  role = Role.find_by(name: 'Reporter') or raise 'default role "Reporter" missing'
  %i[view_issues add_issue_notes].each do |perm|
    role.add_permission!(perm) unless role.has_permission?(perm)
  end
  if role.has_permission?(:view_private_notes)
    role.remove_permission!(:view_private_notes)
  end
  role.reload
  raise 'Reporter role can still view private notes' if role.has_permission?(:view_private_notes)
  role.save! if role.changed?

  # --- non-admin user "reporter" --------------------------------------------
  user = User.find_by_login('reporter') || User.new.tap { |u| u.login = 'reporter' }
  user.firstname = 'Rita'
  user.lastname = 'Reporter'
  user.mail = 'reporter@example.invalid' if user.mail.blank?
  user.admin = false
  user.status = User::STATUS_ACTIVE
  user.must_change_passwd = false
  user.mail_notification = 'none'
  if user.new_record? || !user.check_password?(user_password)
    user.password = user_password
    user.password_confirmation = user_password
  end
  user.save! if user.new_record? || user.changed?

  member = Member.find_by(project_id: demo.id, user_id: user.id)
  if member.nil?
    member = Member.new(project: demo, principal: user)
    member.role_ids = [role.id]
    member.save!
  elsif !member.role_ids.include?(role.id)
    member.role_ids = member.role_ids | [role.id]
    member.save!
  end

  puts "TICKETKIT_ADMIN_API_KEY=#{admin.reload.api_key}"
  puts "TICKETKIT_USER_API_KEY=#{user.reload.api_key}"
end
